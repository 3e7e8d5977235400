package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * A {@link Module} with one input and one output: construct, {@link #initialize}, {@link #forward}.
 *
 * <p>Memory discipline: {@code forward} returns a new tensor and closes every intermediate it created, but
 * never its input (the caller owns it). DJL frees a tensor only when its Java handle closes; libtorch keeps what
 * a recorded graph still needs through its own reference counts, so closing early is both safe and what makes
 * reversible training save memory (docs/architecture.md, Engine notes).
 *
 * <p>Activations travel as {@code [T, B, C, H, W]} (or {@code [T, B, F]}); layers without time dynamics fold
 * {@code T} into the batch, so normalisation statistics run over {@code T*B*H*W} as in SpikingJelly.
 */
public abstract class Layer extends Module {

    /** Runs the layer. Must not close {@code x}. */
    public abstract NDArray forward(NDArray x, ForwardContext ctx);

    /**
     * {@link #forward} for a caller that hands {@code x} over: {@code x} is closed here, as soon as this layer no longer
     * needs it. This default closes it after the forward; a chain ({@link Sequential}, a reversible stage) closes it
     * once its first layer has run, so that the chain does not hold its input to the end (with recording off, one
     * input-sized tensor less at the peak). With recording on the graph keeps what it needs either way.
     */
    public NDArray forwardConsuming(NDArray x, ForwardContext ctx) {
        try (x) {
            return forward(x, ctx);
        }
    }
}
