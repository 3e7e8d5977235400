package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import org.revbench.core.model.MemorySaving;
import org.revbench.core.nn.ForwardContext;

/**
 * A segment that can reconstruct its input from its output and trains without storing activations. The network
 * switches the memory-saving backward of every such segment on or off, and the invertibility audit reconstructs
 * through it, without knowing which coupling it holds.
 */
public interface Invertible extends MemorySaving {

    /** The input that produced {@code y} (same context as the forward). */
    NDArray inverse(NDArray y, ForwardContext ctx);

    /**
     * What {@link #inverse} reconstructs, computed forward from the segment's input {@code x}: {@code x} itself (the
     * same handle) for a segment that inverts whole, the default; a segment that inverts only its last part (a layer
     * stack followed by a reversible neuron) returns that part's input as a new array. The invertibility audit
     * compares the two. Called before the segment's own forward of {@code x}.
     */
    default NDArray inverseTarget(NDArray x, ForwardContext ctx) {
        return x;
    }

    /** Reversible blocks in this segment. */
    int blockCount();
}
