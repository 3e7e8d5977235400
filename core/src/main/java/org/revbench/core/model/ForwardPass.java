package org.revbench.core.model;

import ai.djl.ndarray.NDArray;

/** A network's training forward: its logits, and the backward that goes with them. */
public interface ForwardPass extends AutoCloseable {

    /** {@code [B, classes]}, recorded: a loss computed from it with recorded ops can be back-propagated. */
    NDArray logits();

    /**
     * The training loss of this pass, from {@code headLoss} (a per-head loss such as cross-entropy against the
     * batch's labels; it returns a new recorded scalar). A network with one output head returns
     * {@code headLoss(logits())}, the default. A network trained with several supervised heads (deep supervision,
     * e.g. one head per time step) combines their losses as its definition says; {@link #logits()} is then the head
     * that predicts. Returns a new recorded scalar that {@link #backward} accepts.
     */
    default NDArray trainingLoss(java.util.function.UnaryOperator<NDArray> headLoss) {
        return headLoss.apply(logits());
    }

    /**
     * Back-propagates a scalar loss computed from {@link #logits()} (or returned by {@link #trainingLoss}) through
     * the whole network.
     */
    void backward(NDArray loss);

    /**
     * After {@link #backward}: the gradient of the loss with respect to the network's input, when the pass was
     * made with {@link Network#forwardTrain(NDArray, boolean)} asking for it; else null. Owned by the pass.
     */
    default NDArray inputGradient() { return null; }

    @Override
    void close();
}
