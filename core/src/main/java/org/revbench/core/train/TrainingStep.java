package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.ForwardPass;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;

/**
 * One training step, the same for every model: forward, loss, backward, optimizer update. A protocol calls this
 * and never asks which model it runs; a reversible model's memory-saving backward hides behind
 * {@link ForwardPass#backward}.
 */
public final class TrainingStep {

    /** What one step produced. */
    public record Result(double loss, long correct, long batch) {}

    private final Network network;
    private final CrossEntropy loss;
    private final Optimizer optimizer;
    private final List<Parameter> parameters;
    private long steps;
    private Runnable afterForward;
    private PhaseListener phaseListener;

    /** The parts of a step, in the order they run. */
    public enum Phase {
        /** The training forward and its loss (the loss read, so the forward has finished on any device). */
        FORWARD,
        /** The backward: with a memory-saving backward, the reconstruction and recompute it does inside. */
        BACKWARD,
        /** The optimizer's update of every parameter. */
        UPDATE
    }

    /** Told when each {@link Phase} of a step has been issued: a timing protocol reads its clock there. */
    @FunctionalInterface
    public interface PhaseListener {
        void ended(Phase phase);
    }

    public TrainingStep(Network network, CrossEntropy loss, Optimizer optimizer) {
        this.network = network;
        this.loss = loss;
        this.optimizer = optimizer;
        this.parameters = network.parameters();
    }

    /**
     * Runs {@code hook} in every step between the forward (with its loss) and the backward, when everything the
     * backward needs is held: the memory probe reads what a model keeps there. Null removes it.
     */
    public void setAfterForward(Runnable hook) {
        this.afterForward = hook;
    }

    /**
     * Calls {@code listener} at the end of every step's forward, backward and update (before the
     * {@link #setAfterForward} hook, which is not part of the forward). Null removes it.
     */
    public void setPhaseListener(PhaseListener listener) {
        this.phaseListener = listener;
    }

    private void ended(Phase phase) {
        if (phaseListener != null) {
            phaseListener.ended(phase);
        }
    }

    /** Forward and backward only (gradients accumulate); the update is left to the caller. */
    public Result forwardBackward(NDArray input, NDArray labels) {
        return forwardBackward(input, labels, null);
    }

    /**
     * As {@link #forwardBackward(NDArray, NDArray)}, against soft targets {@code [B, K]} when {@code targets} is
     * not null (mixup's label-smoothed mixtures, {@link CrossEntropy#softLoss}; the soft targets carry their own
     * smoothing, so this step's loss smoothing is not applied). Accuracy still counts against {@code labels}.
     */
    public Result forwardBackward(NDArray input, NDArray labels, NDArray targets) {
        steps++;
        boolean before = Autograd.setRecording(true);
        try (ForwardPass pass = network.forwardTrain(input)) {
            NDArray logits = pass.logits();
            // through the pass, so that a network with several supervised heads combines their losses its own way
            try (NDArray l = pass.trainingLoss(head -> targets == null ? loss.loss(head, labels) : CrossEntropy.softLoss(head, targets))) {
                double value = org.revbench.core.engine.Tensors.toDoubles(l)[0];
                if (!Double.isFinite(value)) {
                    throw new NonFiniteLossException(network.id(), steps, value);
                }
                long correct = Autograd.withRecording(false, () -> CrossEntropy.correct(logits, labels));
                ended(Phase.FORWARD);
                if (afterForward != null) {
                    afterForward.run();
                }
                pass.backward(l);
                ended(Phase.BACKWARD);
                return new Result(value, correct, labels.getShape().get(0));
            }
        } finally {
            Autograd.setRecording(before);
        }
    }

    /** A full step at learning rate {@code lr}. */
    public Result step(NDArray input, NDArray labels, double lr) {
        return step(input, labels, null, lr);
    }

    /** A full step against soft targets (null: the hard labels) at learning rate {@code lr}. */
    public Result step(NDArray input, NDArray labels, NDArray targets, double lr) {
        Result r = forwardBackward(input, labels, targets);
        optimizer.step(parameters, lr);
        ended(Phase.UPDATE);
        return r;
    }

    /** Zeroes every accumulated gradient (e.g. after {@link #forwardBackward} in a test). */
    public void zeroGradients() {
        for (Parameter p : parameters) {
            if (p.trainable()) {
                Autograd.zeroGradient(p.array());
            }
        }
    }

    public long steps() { return steps; }
}
