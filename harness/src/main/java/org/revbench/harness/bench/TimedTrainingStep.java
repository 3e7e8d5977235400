package org.revbench.harness.bench;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.Consumer;
import org.revbench.core.engine.DeviceSync;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.SyntheticBatch;
import org.revbench.core.train.TrainingStep;

/**
 * The training step every timing of one (JMH's {@link TrainingStepBenchmark}, {@code profile --phase training},
 * {@code crosscheck pytorch}) measures, in one place: the memory-saving backward, plain cross-entropy, SGD with
 * momentum 0.9 and weight decay 1e-4 at a tiny learning rate (1e-6, so the weights barely move between steps), and a
 * wait for the update of the last parameter (on a GPU backward and update are only queued when the step returns).
 */
public final class TimedTrainingStep implements AutoCloseable {

    /** The learning rate of every timed step. */
    public static final double LR = 1e-6;

    private final Sgd sgd;
    private final TrainingStep step;
    private final NDArray updated;
    private final DeviceSync sync;

    /** Sets {@code network} to its memory-saving backward ({@code memorySaving}) and prepares its step. */
    public TimedTrainingStep(Network network, boolean memorySaving) {
        network.setMemorySaving(memorySaving);
        sgd = new Sgd(0.9, 1e-4);
        step = new TrainingStep(network, CrossEntropy.plain(), sgd);
        List<Parameter> trained = network.parameters().stream().filter(Parameter::trainable).toList();
        updated = trained.get(trained.size() - 1).array();
        sync = DeviceSync.of(updated);
    }

    /** One step on {@code batch}, waited for; returns its loss. */
    public double run(SyntheticBatch batch) {
        double loss = step.step(batch.input(), batch.labels(), LR).loss();
        sync.await(updated);
        return loss;
    }

    /**
     * One step on {@code batch} with each phase waited for and timed apart: milliseconds of the forward (with its
     * loss), the backward and the update, in {@link TrainingStep.Phase} order. {@code atPhaseEnd} (null: none) runs
     * after each phase's clock has stopped and before the next one's starts (a convolution census switches there).
     */
    public double[] runPhases(SyntheticBatch batch, Consumer<TrainingStep.Phase> atPhaseEnd) {
        double[] ms = new double[TrainingStep.Phase.values().length];
        long[] start = {System.nanoTime()};
        step.setPhaseListener(phase -> {
            sync.await(updated); // every phase's work done, on any device, before its clock stops
            ms[phase.ordinal()] = (System.nanoTime() - start[0]) / 1e6;
            if (atPhaseEnd != null) {
                atPhaseEnd.accept(phase);
            }
            start[0] = System.nanoTime();
        });
        try {
            step.step(batch.input(), batch.labels(), LR);
        } finally {
            step.setPhaseListener(null);
        }
        return ms;
    }

    @Override
    public void close() {
        sgd.close();
    }
}
