package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.revbench.core.engine.Engines;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * A reversible two-stream block over {@code [T, B, C, H, W]}, or over one time step's {@code [B, C, H, W]}: the channel
 * axis ({@link #channelAxis}) is split into halves {@code (x1, x2)}; {@link #forward} and {@link #inverse} are exact
 * inverses in exact arithmetic.
 *
 * <p>{@link #backwardInPlace} is the memory-saving backward of one block: from the block's output (values only) and
 * the output gradient it reconstructs the input, recomputes the block's functions with recording on, back-
 * propagates, accumulates parameter gradients, and leaves the input and its gradient in place of the output
 * and its gradient. Each coupling owns this
 * because the order of reconstruction is what distinguishes one coupling from another.
 */
public abstract class Coupling extends Layer {

    /** Channel axis of {@code [T, B, C, H, W]}. */
    public static final int CHANNEL_AXIS = 2;

    /**
     * The channel axis of {@code x}: the third from last, the C of {@code [..., C, H, W]}; {@link #CHANNEL_AXIS} for
     * {@code [T, B, C, H, W]}, 1 for {@code [B, C, H, W]} (a network that runs one time step at a time, as T-RevSNN's
     * sub-networks do).
     */
    public static int channelAxis(NDArray x) {
        int d = x.getShape().dimension();
        if (d < 3) {
            throw new IllegalArgumentException("a two-stream coupling needs [..., C, H, W], got " + x.getShape());
        }
        return d - 3;
    }

    /** The inverse map: input from output. */
    public abstract NDArray inverse(NDArray y, ForwardContext ctx);

    /**
     * Memory-saving backward of this block, in place: on return {@code y} holds the block's input (reconstructed)
     * and {@code dy} the gradient with respect to it. {@code ctx} is in {@link ForwardContext.Mode#RECOMPUTE};
     * recording is switched on by the caller.
     *
     * <p>Why in place: a block's output and its gradient are dead the moment its input and input gradient exist,
     * so writing the reconstruction into their storage means a stage's backward never holds two generations of
     * activations; the peak is then one block's recompute graph on top of the kept stage outputs.
     */
    public abstract void backwardInPlace(NDArray y, NDArray dy, ForwardContext ctx);

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
        int axis = channelAxis(x);
        long c = x.getShape().get(axis);
        if (c % 2 != 0) {
            throw new IllegalArgumentException("a two-stream coupling needs an even channel count, got " + x.getShape());
        }
        return x.split(2, axis);
    }

    /** Joins two halves along the channel axis (a copy). */
    protected static NDArray join(NDArray a, NDArray b) {
        return a.concat(b, channelAxis(a));
    }
}
