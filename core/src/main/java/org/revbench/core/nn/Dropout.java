package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import org.revbench.core.engine.Tensors;

/**
 * Inverted dropout in training mode (identity in evaluation). Its mask comes from libtorch's generator, which
 * a reversible stage re-seeds so that the recompute in backward draws the same mask.
 */
public final class Dropout extends Layer {

    private final double p;

    public Dropout(double p) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        if (ctx.mode() == ForwardContext.Mode.EVAL || p == 0) {
            return x.reshape(x.getShape());
        }
        try (NDArray u = x.getManager().randomUniform(0f, 1f, x.getShape(), x.getDataType());
             NDArray keepP = Tensors.constant(x, p);
             NDArray keep = u.gte(keepP);
             NDArray mask = keep.toType(x.getDataType(), false);
             NDArray scale = Tensors.constant(x, 1 / (1 - p));
             NDArray kept = x.mul(mask)) {
            return kept.mul(scale);
        }
    }
}
