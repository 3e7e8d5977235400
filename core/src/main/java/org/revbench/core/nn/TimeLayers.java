package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.engine.Tensors;

/** Layers that create or remove the time axis. */
public final class TimeLayers {

    private TimeLayers() {}

    /**
     * Direct encoding of a static image: repeats {@code [B, ...]} over {@code ctx.timesteps()} to
     * {@code [T, B, ...]} (the MS-ResNet / RevSResNet input after the stem).
     */
    public static Layer repeat() {
        return new Layer() {
            @Override
            public NDArray forward(NDArray x, ForwardContext ctx) {
                try (NDArray e = x.expandDims(0)) {
                    long[] reps = new long[e.getShape().dimension()];
                    java.util.Arrays.fill(reps, 1);
                    reps[0] = ctx.timesteps();
                    return e.tile(reps);
                }
            }
        };
    }

    /** Mean over the time axis of {@code [T, B, ...]}: the papers' readout of per-step logits. */
    public static Layer mean() {
        return new Layer() {
            @Override
            public NDArray forward(NDArray x, ForwardContext ctx) {
                try (NDArray sum = x.sum(new int[] {0}); NDArray inv = Tensors.constant(x, 1.0 / x.getShape().get(0))) {
                    return sum.mul(inv);
                }
            }
        };
    }

    /** Shape helper: prepend T. */
    static Shape withTime(long t, Shape s) {
        return new Shape(t).addAll(s);
    }
}
