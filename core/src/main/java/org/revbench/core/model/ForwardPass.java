package org.revbench.core.model;

import ai.djl.ndarray.NDArray;

/** A network's training forward: its logits, and the backward that goes with them. */
public interface ForwardPass extends AutoCloseable {

    /** {@code [B, classes]}, recorded: a loss computed from it with recorded ops can be back-propagated. */
    NDArray logits();

    /** Back-propagates a scalar loss computed from {@link #logits()} through the whole network. */
    void backward(NDArray loss);

    /**
     * After {@link #backward}: the gradient of the loss with respect to the network's input, when the pass was
     * made with {@link Network#forwardTrain(NDArray, boolean)} asking for it; else null. Owned by the pass.
     */
    default NDArray inputGradient() { return null; }

    @Override
    void close();
}
