package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.engine.Autograd;

/**
 * A reversible node run in place ({@link ReversibleNeuronNode#runInPlace}) over its input, the recorded output of the
 * layers before it: what a memory-saving training forward keeps of the node ({@link NodeUnit}, each node of a
 * {@link NodeResidualBlock}). The node's output is its input's storage, which the next layer keeps anyway; besides it
 * only the last potential is kept, from which backward reconstructs every step (the reversible node paper Eq. 9-12).
 */
record InPlaceNodeRun(ReversibleNeuronNode node, NDArray input, NDArray lastV, NDArray output) implements AutoCloseable {

    /** Runs {@code node} over {@code input}, a recorded root it takes over (closed here if the run fails, else by {@link #close}). */
    static InPlaceNodeRun over(ReversibleNeuronNode node, NDArray input) {
        NDArray lastV;
        try {
            lastV = node.runInPlace(input);
        } catch (RuntimeException e) {
            input.close();
            throw e;
        }
        return new InPlaceNodeRun(node, input, lastV, input.stopGradient()); // the node output: the input's storage
    }

    /**
     * Back-propagates {@code outputGrad} (overwritten in place: {@link ReversibleNeuronNode#reverseInPlace}) through the
     * node, then the node input's gradient through the graph that recorded the input.
     */
    void backward(NDArray outputGrad, BackwardMode mode) {
        try (NDArray d = node.reverseInPlace(output, lastV, outputGrad, mode)) {
            Autograd.backward(input, d);
        }
    }

    @Override
    public void close() {
        output.close();
        lastV.close();
        input.close();
    }
}
