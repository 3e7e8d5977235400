package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import org.revbench.core.nn.ForwardContext;

/**
 * A segment that can reconstruct its input from its output and trains without storing activations. The network
 * switches the memory-saving backward of every such segment on or off, and the invertibility audit reconstructs
 * through it, without knowing which coupling it holds.
 */
public interface Invertible {

    /** The input that produced {@code y} (same context as the forward). */
    NDArray inverse(NDArray y, ForwardContext ctx);

    /** Reversible blocks in this segment. */
    int blockCount();

    /** Memory-saving backward (default) or plain autograd through the same computation. */
    void setMemorySaving(boolean on);
}
