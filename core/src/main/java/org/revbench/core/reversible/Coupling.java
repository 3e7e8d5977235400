package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.revbench.core.engine.Engines;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * A reversible two-stream block over {@code [T, B, C, ...]}: the channel axis is split into halves
 * {@code (x1, x2)}; {@link #forward} and {@link #inverse} are exact inverses in exact arithmetic.
 *
 * <p>{@link #backward} is the memory-saving backward of one block: from the block's output (values only) and
 * the output gradient it reconstructs the input, recomputes the block's functions with recording on, back-
 * propagates, accumulates parameter gradients, and returns the input with its gradient. Each coupling owns this
 * because the order of reconstruction is what distinguishes one coupling from another.
 */
public abstract class Coupling extends Layer {

    /** Channel axis of {@code [T, B, C, H, W]}. */
    public static final int CHANNEL_AXIS = 2;

    /** A block input reconstructed from its output, and the gradient with respect to it. */
    public record Reconstruction(NDArray input, NDArray inputGradient) implements AutoCloseable {
        @Override
        public void close() {
            input.close();
            inputGradient.close();
        }
    }

    /** The inverse map: input from output. */
    public abstract NDArray inverse(NDArray y, ForwardContext ctx);

    /**
     * Memory-saving backward of this block. {@code ctx} is in {@link ForwardContext.Mode#RECOMPUTE}; recording
     * is switched on by the caller. Does not close {@code y} or {@code dy}.
     */
    public abstract Reconstruction backward(NDArray y, NDArray dy, ForwardContext ctx);

    /**
     * Runs one of the block's functions. Inside a reversible stage the context carries a block seed; libtorch's
     * generator is re-seeded per function ({@code which}) so that the backward, which recomputes the functions in
     * a different order than the forward ran them, still gives each function the same random numbers.
     */
    protected static NDArray call(Layer function, NDArray x, ForwardContext ctx, int which) {
        if (ctx.seed() != null) {
            Engines.seedNative(ctx.seed() * 0x9E3779B97F4A7C15L + which);
        }
        return function.forward(x, ctx);
    }

    /** Splits the channel axis into two halves (views): the two streams of a reversible block. */
    public static NDList halves(NDArray x) {
        long c = x.getShape().get(CHANNEL_AXIS);
        if (c % 2 != 0) {
            throw new IllegalArgumentException("a two-stream coupling needs an even channel count, got " + x.getShape());
        }
        return x.split(2, CHANNEL_AXIS);
    }

    /** Joins two halves along the channel axis (a copy). */
    protected static NDArray join(NDArray a, NDArray b) {
        return a.concat(b, CHANNEL_AXIS);
    }
}
