package org.revbench.harness.protocol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.Network;
import org.revbench.core.train.LearningRateSchedule;
import org.revbench.core.train.NonFiniteLossException;
import org.revbench.core.train.Optimizer;
import org.revbench.core.train.TrainingCheckpoint;
import org.revbench.core.train.TrainingStep;

/**
 * The one training loop, for the train protocol, {@code revbench train} and the trajectory protocol's twins: epoch
 * after epoch of a {@link TrainData}'s batches, each epoch at its learning rate, until the run has taken its steps
 * (the last epoch may stop part-way). All else a run does is a {@link Listener}, told in the order it was added:
 * {@link Metrics} (losses, accuracy, training time, a test after each epoch, the seconds to a target top-1),
 * {@link Checkpoint} (the state after each epoch, and resuming from it), the caller's progress lines (with
 * {@link #secondsLeft}) and a {@link #guard} that turns a non-finite loss into the caller's error.
 *
 * <p>Every batch of epoch e is a function of (seed, e), and libtorch's generator is re-seeded from them at the epoch's
 * start, so the epoch's random operations are too: a run resumed at an epoch trains as an uninterrupted one did.
 */
public final class TrainingLoop {

    /**
     * What the loop does with each batch: a training step at learning rate {@code lr} on input, labels and soft
     * targets (null without mixup). A {@link TrainingStep} is one; the trajectory protocol steps two twins in lockstep.
     */
    public interface BatchStep {
        TrainingStep.Result step(NDArray input, NDArray labels, NDArray targets, double lr);
    }

    /** Where a step stands: its epoch (0-based), its index in the epoch, its index in the run, the epoch's lr. */
    public record At(int epoch, int index, int step, double lr) {}

    /** Told of every step; of each epoch's end and of a non-finite loss if it overrides those. */
    @FunctionalInterface
    public interface Listener {
        /** After each step: its result and its seconds (the step alone, not the making of its batch). */
        void step(At at, TrainingStep.Result r, double seconds);

        /** After each epoch's last step, with the epoch's wall time (its batches' making included). */
        default void epoch(int epoch, double seconds) {}

        /** The step at {@code at} had a non-finite loss; the loop rethrows {@code e} unless a listener throws first. */
        default void nonFinite(At at, NonFiniteLossException e) {}
    }

    private final TrainData data;
    private final long seed;
    private final LearningRateSchedule schedule;
    private final List<Listener> listeners = new ArrayList<>();
    private int steps;
    private long epochStart;

    public TrainingLoop(TrainData data, long seed, LearningRateSchedule schedule) {
        this.data = data;
        this.seed = seed;
        this.schedule = schedule;
    }

    /** Adds {@code l}; it is told after the listeners added before it. */
    public TrainingLoop listen(Listener l) {
        listeners.add(l);
        return this;
    }

    /**
     * Trains epochs {@code first}, {@code first + 1}, ... until the run has taken {@code steps} steps, those of the
     * epochs before {@code first} (a checkpoint's) counted as taken. A non-finite loss stops it (see
     * {@link Listener#nonFinite}).
     */
    public void run(BatchStep step, int first, int steps, NDManager manager) {
        this.steps = steps;
        int perEpoch = data.batchesPerEpoch();
        for (int epoch = first; (long) epoch * perEpoch < steps; epoch++) {
            int base = epoch * perEpoch;
            epochStart = System.nanoTime();
            train(epoch, base, Math.min(perEpoch, steps - base), step, manager);
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            for (Listener l : listeners) {
                l.epoch(epoch, seconds);
            }
        }
    }

    /** The first {@code n} steps of {@code epoch}, the first of them step {@code base} of the run. */
    private void train(int epoch, int base, int n, BatchStep step, NDManager manager) {
        double lr = schedule.lr(epoch);
        Engines.seedNative(seed * 1_000_003L + epoch);
        At at = null;
        try (TrainData.Epoch e = data.epoch(epoch)) {
            for (int i = 0; i < n; i++) {
                at = new At(epoch, i, base + i, lr);
                try (NDManager sub = manager.newSubManager()) {
                    NDArray[] b = e.next(sub);
                    long s0 = System.nanoTime();
                    TrainingStep.Result r = step.step(b[0], b[1], b[2], lr);
                    double seconds = (System.nanoTime() - s0) / 1e9;
                    for (Listener l : listeners) {
                        l.step(at, r, seconds);
                    }
                }
            }
        } catch (NonFiniteLossException ex) {
            for (Listener l : listeners) {
                l.nonFinite(at, ex);
            }
            throw ex;
        }
    }

    /** The seconds the run has left after the step at {@code at}, at the pace of its epoch so far. */
    public double secondsLeft(At at) {
        double elapsed = (System.nanoTime() - epochStart) / 1e9;
        return elapsed / (at.index() + 1) * (steps - at.step() - 1);
    }

    /** A NaN guard: a non-finite loss stops the run with the exception {@code error} makes, naming where it was. */
    public static Listener guard(BiFunction<At, NonFiniteLossException, RuntimeException> error) {
        return new Listener() {
            @Override
            public void step(At at, TrainingStep.Result r, double seconds) {}

            @Override
            public void nonFinite(At at, NonFiniteLossException e) {
                throw error.apply(at, e);
            }
        };
    }

    /**
     * What a run measures: per step of this run its loss, correct predictions and seconds; per epoch since the run's
     * start (a resumed run's earlier epochs from its checkpoint) the mean loss, the training wall time and, with
     * {@link #testEachEpoch}, the test top-1 and the training seconds until it first reached a target.
     */
    public static final class Metrics implements Listener {
        private double[] loss = new double[64];
        private long[] correct = new long[64];
        private double[] seconds = new double[64];
        private int taken;
        /** The current epoch's steps so far. */
        private double lossSum;
        private long right;
        private long seen;
        private int epochSteps;
        private final List<Double> epochLoss = new ArrayList<>();
        private final List<Double> epochTop1 = new ArrayList<>();
        private double trainSeconds;
        private double secondsToTarget = Double.NaN;
        private Supplier<long[]> test;
        private double target;

        /**
         * Tests {@code net} on {@code data} after every epoch, for the time to {@code target} top-1 (%); the test's
         * own time is not training time.
         */
        public Metrics testEachEpoch(TrainData data, Network net, NDManager manager, double target) {
            this.test = () -> data.evaluate(net, manager);
            this.target = target;
            return this;
        }

        @Override
        public void step(At at, TrainingStep.Result r, double s) {
            if (at.index() == 0) {
                lossSum = 0;
                right = 0;
                seen = 0;
                epochSteps = 0;
            }
            if (taken == loss.length) {
                loss = Arrays.copyOf(loss, 2 * taken);
                correct = Arrays.copyOf(correct, 2 * taken);
                seconds = Arrays.copyOf(seconds, 2 * taken);
            }
            loss[taken] = r.loss();
            correct[taken] = r.correct();
            seconds[taken] = s;
            taken++;
            lossSum += r.loss();
            right += r.correct();
            seen += r.batch();
            epochSteps++;
        }

        @Override
        public void epoch(int epoch, double s) {
            trainSeconds += s;
            epochLoss.add(lossSum / epochSteps);
            if (test != null) {
                long[] a = test.get();
                double top1 = 100.0 * a[0] / a[1];
                epochTop1.add(top1);
                if (Double.isNaN(secondsToTarget) && top1 >= target) {
                    secondsToTarget = trainSeconds;
                }
            }
        }

        /** This run's step losses in order. */
        public double[] losses() { return Arrays.copyOf(loss, taken); }

        /** This run's correct predictions per step. */
        public long[] correct() { return Arrays.copyOf(correct, taken); }

        /** The correct predictions of this run's steps {@code from} to {@code to} (exclusive). */
        public long correct(int from, int to) {
            long s = 0;
            for (int i = from; i < to; i++) {
                s += correct[i];
            }
            return s;
        }

        /** This run's step seconds. */
        public double[] seconds() { return Arrays.copyOf(seconds, taken); }

        /** The mean loss of the current epoch's steps so far. */
        public double epochMeanLoss() { return lossSum / epochSteps; }

        /** The accuracy (%) of the current epoch's steps so far. */
        public double epochAccuracy() { return 100.0 * right / seen; }

        public List<Double> epochLoss() { return epochLoss; }

        /** Empty without {@link #testEachEpoch}. */
        public List<Double> epochTop1() { return epochTop1; }

        public double trainSeconds() { return trainSeconds; }

        /** NaN until a test reached the target. */
        public double secondsToTarget() { return secondsToTarget; }

        /** The per-epoch numbers as a checkpoint keeps them. */
        private Map<String, String> meta() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("train_seconds", String.valueOf(trainSeconds));
            m.put("epoch_loss", String.join(",", epochLoss.stream().map(String::valueOf).toList()));
            m.put("epoch_top1", String.join(",", epochTop1.stream().map(String::valueOf).toList()));
            m.put("seconds_to_target", String.valueOf(secondsToTarget));
            return m;
        }

        private void restore(Map<String, String> meta) {
            trainSeconds = Double.parseDouble(meta.get("train_seconds"));
            epochLoss.addAll(doubles(meta.getOrDefault("epoch_loss", "")));
            epochTop1.addAll(doubles(meta.getOrDefault("epoch_top1", "")));
            secondsToTarget = Double.parseDouble(meta.getOrDefault("seconds_to_target", "NaN"));
        }

        private static List<Double> doubles(String csv) {
            List<Double> out = new ArrayList<>();
            for (String v : csv.split(",")) {
                if (!v.isEmpty()) {
                    out.add(Double.parseDouble(v));
                }
            }
            return out;
        }
    }

    /**
     * Resumable at epoch granularity: after every epoch the network's parameters, running statistics and seed
     * streams, the optimizer's state and the {@link Metrics} so far go to a checkpoint, written atomically
     * ({@link TrainingCheckpoint}); {@link #resume} restores the last one.
     */
    public record Checkpoint(Path file, Network net, Optimizer opt, Metrics metrics, long seed) implements Listener {

        /** Restores the checkpoint if there is one; the first epoch to train (0 without one). */
        public int resume() throws IOException {
            if (!Files.exists(file)) {
                return 0;
            }
            Map<String, String> meta = TrainingCheckpoint.load(file, net, opt);
            metrics.restore(meta);
            return Integer.parseInt(meta.get("epoch")) + 1;
        }

        @Override
        public void step(At at, TrainingStep.Result r, double seconds) {}

        /** Saves; a failed write is an {@link UncheckedIOException} around the {@link IOException}. */
        @Override
        public void epoch(int epoch, double seconds) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("epoch", String.valueOf(epoch));
            meta.putAll(metrics.meta());
            meta.put("seed", String.valueOf(seed));
            try {
                TrainingCheckpoint.save(file, net, opt, meta);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
