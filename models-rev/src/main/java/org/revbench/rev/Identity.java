package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/** A node that is no node: returns its input (a view, so nothing is copied or kept). The memory reference. */
final class Identity extends Layer {
    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        return x.reshape(x.getShape());
    }
}
