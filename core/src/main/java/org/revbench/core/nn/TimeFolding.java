package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;

/**
 * Applies a per-frame operation to a multi-step tensor {@code [T, B, ...]} by folding time into the batch
 * ({@code [T*B, ...]}) and unfolding the result. A reshape of a contiguous tensor is a view: no copy.
 * A tensor without the time axis ({@code rank == frameRank}) is passed through unchanged.
 */
public final class TimeFolding {

    private TimeFolding() {}

    public static NDArray apply(NDArray x, int frameRank, Function<NDArray, NDArray> op) {
        Shape s = x.getShape();
        if (s.dimension() == frameRank) {
            return op.apply(x);
        }
        if (s.dimension() != frameRank + 1) {
            throw new IllegalArgumentException("expected rank " + frameRank + " or " + (frameRank + 1) + ", got " + s);
        }
        long t = s.get(0);
        long b = s.get(1);
        try (NDArray folded = x.reshape(foldedShape(s))) {
            NDArray y = op.apply(folded);
            try (y) {
                Shape ys = y.getShape();
                long[] dims = new long[ys.dimension() + 1];
                dims[0] = t;
                dims[1] = b;
                for (int i = 1; i < ys.dimension(); i++) {
                    dims[i + 1] = ys.get(i);
                }
                return y.reshape(new Shape(dims));
            }
        }
    }

    /** Number of frames (time steps) a tensor holds per sample: T for {@code [T,B,...]}, 1 otherwise. */
    public static long frames(NDArray x, int frameRank) {
        return x.getShape().dimension() == frameRank + 1 ? x.getShape().get(0) : 1;
    }

    private static Shape foldedShape(Shape s) {
        long[] dims = new long[s.dimension() - 1];
        dims[0] = s.get(0) * s.get(1);
        for (int i = 2; i < s.dimension(); i++) {
            dims[i - 1] = s.get(i);
        }
        return new Shape(dims);
    }
}
