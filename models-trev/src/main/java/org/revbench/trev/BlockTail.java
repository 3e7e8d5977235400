package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * The last two convolutions of a {@link TrevBlock}: weight-standardised point-wise {@code 4C -> C}, then depth-wise
 * {@code k x k}. A block owns its tail, except the second block of every level, whose tail is one object per stage
 * shared by the sub-networks of all time steps (the public code's {@code pwconv2_reuse} / {@code dwconv2_reuse},
 * module copies that share their parameters): its parameters count once.
 */
public final class BlockTail extends Layer {

    private final WeightStandardizedConv pointwise;
    private final DepthwiseConv depthwise;

    public BlockTail(int channels, int kernel) {
        pointwise = addChild("pwconv2", WeightStandardizedConv.pointwise(4 * channels, channels));
        depthwise = addChild("dwconv2", new DepthwiseConv(channels, kernel));
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        try (NDArray p = pointwise.forward(x, ctx)) {
            return depthwise.forward(p, ctx);
        }
    }
}
