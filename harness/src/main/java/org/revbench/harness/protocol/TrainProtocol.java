package org.revbench.harness.protocol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.SyntheticDataset;
import org.revbench.core.data.augment.Mixup;
import org.revbench.core.data.catalog.DataDirectory;
import org.revbench.core.data.loader.Batch;
import org.revbench.core.data.loader.BatchLoader;
import org.revbench.core.data.loader.LoaderException;
import org.revbench.core.engine.Engines;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.nn.EnergyEstimate;
import org.revbench.core.train.Adam;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.LearningRateSchedule;
import org.revbench.core.train.NonFiniteLossException;
import org.revbench.core.train.Optimizer;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.TrainingCheckpoint;
import org.revbench.core.train.TrainingStep;
import org.revbench.harness.data.StandIns;
import org.revbench.harness.data.Subsets;
import org.revbench.harness.data.TrainingData;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.RowSettings;

/**
 * Trains a row's model once per seed, epoch by epoch, and measures top-1 test accuracy and training wall time.
 *
 * <p>Resumable at epoch granularity: after every epoch the parameters, running statistics and optimizer state go
 * to a checkpoint (written atomically); a run killed at any moment restarts from the last one. Every source of
 * randomness is a function of (seed, epoch): the data order, augmentation and mixup through the loader's seed, libtorch's
 * generator re-seeded at each epoch start; so a resumed run ends with the numbers of an uninterrupted one. A
 * finished seed leaves a small result file and no checkpoint, so a grid stopped between seeds redoes nothing.
 */
public final class TrainProtocol implements Protocol {

    private static final Gson GSON = new Gson();

    /** Test seam: stop (as a kill would) right after the checkpoint of this epoch (1-based); 0: never. */
    int killAfterEpoch;

    @Override
    public String name() { return "train"; }

    @Override
    public List<Measurement> measure(ProtocolContext c) throws Exception {
        RowSettings s = c.settings();
        List<Measurement> out = new ArrayList<>();
        for (long seed : s.seeds()) {
            Map<String, Object> r = seedResult(c, seed);
            Map<String, Object> d = new LinkedHashMap<>(r);
            d.remove("top1");
            d.remove("train_seconds");
            d.remove("sops_per_image");
            d.remove("energy_mj");
            d.remove("seconds_to_target");
            out.add(c.measurement(name(), "top1", ((Number) r.get("top1")).doubleValue(), "%", seed, d));
            out.add(c.measurement(name(), "train_seconds", ((Number) r.get("train_seconds")).doubleValue(), "s", seed, d));
            out.add(c.measurement(name(), "sops_per_image", ((Number) r.get("sops_per_image")).doubleValue(), "SOP/img", seed, d));
            out.add(c.measurement(name(), "energy_mj", ((Number) r.get("energy_mj")).doubleValue(), "mJ/img", seed, d));
            if (r.get("seconds_to_target") != null) { // absent when the target was not reached: nothing to time
                out.add(c.measurement(name(), "seconds_to_target", ((Number) r.get("seconds_to_target")).doubleValue(), "s",
                        seed, d));
            }
        }
        return out;
    }

    /** One seed's numbers: from its result file if it finished before, else by training (resuming if possible). */
    private Map<String, Object> seedResult(ProtocolContext c, long seed) throws Exception {
        Path dir = c.workDir().resolve("seed-" + seed);
        Files.createDirectories(dir);
        String hash = c.settings().hash(c.model().id());
        Path resultFile = dir.resolve("result-" + hash + ".json");
        if (Files.exists(resultFile)) {
            Map<String, Object> r = GSON.fromJson(Files.readString(resultFile), new TypeToken<Map<String, Object>>() { }.getType());
            c.log().printf(Locale.ROOT, "    seed %d: finished before, top-1 %.2f%%%n", seed, ((Number) r.get("top1")).doubleValue());
            return r;
        }
        Map<String, Object> r = train(c, seed, dir.resolve("checkpoint-" + hash + ".bin"));
        Path tmp = dir.resolve(resultFile.getFileName() + ".tmp");
        Files.writeString(tmp, GSON.toJson(r));
        Files.move(tmp, resultFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dir.resolve("checkpoint-" + hash + ".bin"));
        return r;
    }

    private Map<String, Object> train(ProtocolContext c, long seed, Path checkpoint) throws Exception {
        RowSettings s = c.settings();
        Engines.start();
        ModelOptions o = c.options().withTimesteps(s.trainTimesteps()).withSeed(seed).withDtype(DataType.FLOAT32);
        if (s.inputSize() != null) {
            o = InputSpec.withInput(o, c.model().input().channels(), s.inputSize(), s.inputSize());
        }
        InputSpec input = c.model().input().overriddenBy(o);
        Mixup mixup = mixup(s);
        Data data = Data.open(c, input, seed, mixup);
        LearningRateSchedule schedule = schedule(s);
        CrossEntropy loss = new CrossEntropy(s.labelSmoothing());
        try (data; NDManager manager = Engines.newManager(); Network net = c.model().build(manager, o);
             Optimizer opt = optimizer(s)) {
            TrainingStep step = new TrainingStep(net, loss, opt);
            int first = 0;
            double trainSeconds = 0;
            List<Double> epochLoss = new ArrayList<>();
            List<Double> epochTop1 = new ArrayList<>();
            double secondsToTarget = Double.NaN;
            if (Files.exists(checkpoint)) {
                Map<String, String> meta = TrainingCheckpoint.load(checkpoint, net, opt);
                first = Integer.parseInt(meta.get("epoch")) + 1;
                trainSeconds = Double.parseDouble(meta.get("train_seconds"));
                epochLoss.addAll(doubles(meta.getOrDefault("epoch_loss", "")));
                epochTop1.addAll(doubles(meta.getOrDefault("epoch_top1", "")));
                secondsToTarget = Double.parseDouble(meta.getOrDefault("seconds_to_target", "NaN"));
                c.log().printf(Locale.ROOT, "    seed %d: resuming after epoch %d from %s%n", seed, first, checkpoint);
            }
            int perEpoch = data.batchesPerEpoch();
            List<Double> stepSeconds = new ArrayList<>();
            for (int epoch = first; epoch < s.epochs(); epoch++) {
                double lr = schedule.lr(epoch);
                Engines.seedNative(seed * 1_000_003L + epoch); // libtorch's randomness is a function of (seed, epoch)
                long t0 = System.nanoTime();
                double lossSum = 0;
                long right = 0;
                long seen = 0;
                int every = Math.max(4, perEpoch / 5); // a handful of progress lines per epoch
                try (Data.Epoch e = data.epoch(epoch)) {
                    for (int i = 0; i < perEpoch; i++) {
                        try (NDManager sub = manager.newSubManager()) {
                            NDArray[] b = e.next(sub);
                            long s0 = System.nanoTime();
                            TrainingStep.Result r;
                            try {
                                r = step.step(b[0], b[1], b[2], lr);
                            } catch (NonFiniteLossException ex) {
                                throw new ProtocolException(String.format(Locale.ROOT, "%s seed %d: the loss became %s at"
                                        + " epoch %d, step %d (lr %g); no result is recorded for this seed", c.row().id(),
                                        seed, ex.getMessage(), epoch + 1, i + 1, lr), ex);
                            }
                            stepSeconds.add((System.nanoTime() - s0) / 1e9);
                            lossSum += r.loss();
                            right += r.correct();
                            seen += r.batch();
                        }
                        if ((i + 1) % every == 0 || i + 1 == perEpoch) {
                            double el = (System.nanoTime() - t0) / 1e9;
                            double left = el / (i + 1) * (perEpoch - i - 1) + el / (i + 1) * perEpoch * (s.epochs() - epoch - 1);
                            c.log().printf(Locale.ROOT, "    seed %d epoch %d/%d step %d/%d: loss %.4f, acc %.1f%%, lr %.3g,"
                                            + " about %.0f s left%n", seed, epoch + 1, s.epochs(), i + 1, perEpoch,
                                    lossSum / (i + 1), 100.0 * right / seen, lr, left);
                            c.log().flush();
                        }
                    }
                }
                trainSeconds += (System.nanoTime() - t0) / 1e9;
                epochLoss.add(lossSum / perEpoch);
                if (s.targetTop1() != null) {
                    // time to a target accuracy: test after every epoch; the test's own time is not training time
                    long[] a = data.evaluate(net, manager);
                    double top1 = 100.0 * a[0] / a[1];
                    epochTop1.add(top1);
                    if (Double.isNaN(secondsToTarget) && top1 >= s.targetTop1()) {
                        secondsToTarget = trainSeconds;
                    }
                    c.log().printf(Locale.ROOT, "    seed %d epoch %d: test top-1 %.2f%% (target %.1f%%)%n", seed, epoch + 1,
                            top1, s.targetTop1());
                }
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("epoch", String.valueOf(epoch));
                meta.put("train_seconds", String.valueOf(trainSeconds));
                meta.put("epoch_loss", String.join(",", epochLoss.stream().map(String::valueOf).toList()));
                meta.put("epoch_top1", String.join(",", epochTop1.stream().map(String::valueOf).toList()));
                meta.put("seconds_to_target", String.valueOf(secondsToTarget));
                meta.put("seed", String.valueOf(seed));
                TrainingCheckpoint.save(checkpoint, net, opt, meta);
                if (killAfterEpoch == epoch + 1) {
                    throw new SimulatedKill(epoch + 1);
                }
            }
            long t0 = System.nanoTime();
            long[] acc = data.evaluate(net, manager);
            double evalSeconds = (System.nanoTime() - t0) / 1e9;
            double top1 = 100.0 * acc[0] / acc[1];
            // firing rates of the trained model on test data: synaptic operations and energy (seed 002 Eq. 13)
            EnergyEstimate energy;
            try (NDManager sub = manager.newSubManager(); NDArray x = data.testInput(sub)) {
                energy = EnergyEstimate.of(net.activity(x).entries());
            }
            c.log().printf(Locale.ROOT, "    seed %d: top-1 %.2f%% on %d test samples (%.0f s training, %.0f s test)%n", seed,
                    top1, acc[1], trainSeconds, evalSeconds);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("top1", top1);
            r.put("train_seconds", trainSeconds);
            r.put("sops_per_image", energy.sops());
            r.put("energy_mj", energy.energyMillijoules());
            r.put("energy_first_layer_macs", energy.macs());
            r.put("energy_pooled_input_macs_as_accumulates", energy.nonBinaryInputMacs());
            r.put("dataset", data.description());
            r.put("train_samples", data.trainSize());
            r.put("test_samples", acc[1]);
            r.put("epochs", s.epochs());
            r.put("steps_per_epoch", perEpoch);
            r.put("batch", s.batch());
            r.put("timesteps", s.trainTimesteps());
            r.put("input", input.toString());
            r.put("optimizer", s.optimizer().name());
            r.put("schedule", schedule.describe());
            if (mixup != null) {
                r.put("mixup", describe(mixup, s));
            }
            r.put("epoch_loss", epochLoss);
            if (s.targetTop1() != null) {
                r.put("target_top1", s.targetTop1());
                r.put("epoch_top1", epochTop1);
                if (!Double.isNaN(secondsToTarget)) {
                    r.put("seconds_to_target", secondsToTarget);
                }
            }
            r.put("median_step_seconds", median(stepSeconds));
            r.put("resumed_from_epoch", first);
            return r;
        }
    }

    /** What {@link #killAfterEpoch} throws. */
    static final class SimulatedKill extends RuntimeException {
        SimulatedKill(int epoch) {
            super("simulated kill after epoch " + epoch);
        }
    }

    static LearningRateSchedule schedule(RowSettings s) {
        RowSettings.Schedule sc = s.schedule();
        double lr = s.optimizer().lr();
        return switch (sc.name()) {
            case "constant" -> LearningRateSchedule.constant(lr);
            case "step" -> LearningRateSchedule.step(lr, sc.milestones().stream().mapToInt(Long::intValue).toArray(), sc.gamma());
            case "cosine" -> LearningRateSchedule.cosine(lr, s.epochs(), sc.warmupEpochs(), sc.warmupFrom(), sc.minLr());
            default -> throw new ProtocolException("unknown schedule " + sc.name());
        };
    }

    /**
     * The row's mixup (null: none): the DVS protocol's batch mixup with the row's label smoothing in the soft
     * targets; {@code off_after_epoch} n mixes epochs 1..n (0-based 0..n-1), later epochs keep only the smoothing.
     */
    static Mixup mixup(RowSettings s) {
        RowSettings.Mixup m = s.mixup();
        if (m == null) {
            return null;
        }
        return new Mixup(m.alpha(), m.prob(), s.labelSmoothing(), s.classes(),
                m.offAfterEpoch() == null ? Integer.MAX_VALUE : m.offAfterEpoch());
    }

    private static String describe(Mixup m, RowSettings s) {
        RowSettings.Mixup r = s.mixup();
        return String.format(Locale.ROOT, "alpha %s, prob %s, label smoothing %s, %s", r.alpha(), r.prob(),
                s.labelSmoothing(), r.offAfterEpoch() == null ? "every epoch" : "epochs 1-" + m.offFromEpoch());
    }

    static Optimizer optimizer(RowSettings s) {
        RowSettings.Optimizer o = s.optimizer();
        return switch (o.name()) {
            case "sgd" -> new Sgd(o.momentum(), o.weightDecay());
            case "adamw" -> Adam.adamW(o.weightDecay());
            case "adam" -> new Adam(0.9, 0.999, 1e-8, o.weightDecay(), false);
            default -> throw new ProtocolException("unknown optimizer " + o.name());
        };
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

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = v.stream().sorted().toList();
        return s.get(s.size() / 2);
    }

    /** Training batches per epoch and the test evaluation, from a real (or stand-in) dataset or synthetic data. */
    private abstract static class Data implements AutoCloseable {

        interface Epoch extends AutoCloseable {
            /** Input, labels and soft targets (null without mixup) of the next batch. */
            NDArray[] next(NDManager manager);

            @Override
            void close();
        }

        abstract int batchesPerEpoch();

        abstract Epoch epoch(int epoch);

        abstract long[] evaluate(Network net, NDManager manager);

        /** One batch of test inputs (for the firing-rate forward). */
        abstract NDArray testInput(NDManager manager);

        abstract String description();

        abstract int trainSize();

        @Override
        public void close() {}

        static Data open(ProtocolContext c, InputSpec input, long seed, Mixup mixup) throws IOException {
            RowSettings s = c.settings();
            if (s.dataset().equals("synthetic")) {
                return new SyntheticData(new SyntheticDataset(input, s.classes(), s.trainTimesteps(), seed ^ 0x5EED_DA7AL), s,
                        mixup);
            }
            DataDirectory dir = DataDirectory.resolve(null);
            Path root = s.standIn() == null ? null : StandIns.ensure(s.dataset(), s.standIn(), dir, c.log());
            TrainingData.Prepared p;
            try {
                p = TrainingData.prepare(s.dataset(), root, dir, input, s.trainTimesteps(),
                        s.standIn() == null ? 0 : s.standIn().sensor(), !s.augmentation().isEmpty());
            } catch (DatasetFormatException e) {
                throw new ProtocolException(e.getMessage(), e);
            } catch (IOException e) {
                throw new ProtocolException(s.dataset() + " is not readable (" + e.getMessage() + "); see `revbench data"
                        + " check " + s.dataset() + "`", e);
            }
            if (p.classes() > s.classes()) {
                throw new ProtocolException(s.dataset() + " has " + p.classes() + " classes; the row's head has only "
                        + s.classes());
            }
            return new RealData(p, s, seed, root != null, mixup);
        }
    }

    private static final class RealData extends Data {
        private final TrainingData.Prepared p;
        private final RowSettings s;
        private final BatchLoader train;
        private final boolean standIn;

        RealData(TrainingData.Prepared p, RowSettings s, long seed, boolean standIn, Mixup mixup) {
            this.p = p;
            this.s = s;
            this.standIn = standIn;
            this.train = BatchLoader.builder(Subsets.fixed(p.train(), s.trainLimit()), p.layout(), p.sampleShape())
                    .batchSize(s.batch()).shuffle(true).dropLast(true).seed(seed).mixup(mixup).build();
            if (train.batchesPerEpoch() == 0) {
                train.close();
                throw new ProtocolException("batch " + s.batch() + " is larger than the " + trainSize()
                        + " training samples of " + p.name());
            }
        }

        @Override
        int batchesPerEpoch() { return train.batchesPerEpoch(); }

        @Override
        int trainSize() { return Math.min(p.train().size(), s.trainLimit() == null ? Integer.MAX_VALUE : s.trainLimit()); }

        @Override
        String description() {
            return p.name() + (standIn ? " (stand-in made at " + p.root() + ")" : " (" + p.root() + ")");
        }

        @Override
        Epoch epoch(int epoch) {
            BatchLoader.Epoch e = train.epoch(epoch);
            return new Epoch() {
                @Override
                public NDArray[] next(NDManager manager) {
                    Batch b = e.next(manager);
                    return new NDArray[] {b.input(), b.labels(), b.targets()};
                }

                @Override
                public void close() { e.close(); }
            };
        }

        @Override
        long[] evaluate(Network net, NDManager manager) {
            long right = 0;
            long seen = 0;
            try (BatchLoader test = BatchLoader.builder(Subsets.fixed(p.test(), s.evalLimit()), p.layout(), p.sampleShape())
                    .batchSize(s.batch()).shuffle(false).build(); BatchLoader.Epoch e = test.epoch(0)) {
                while (e.hasNext()) {
                    try (NDManager sub = manager.newSubManager(); Batch b = e.next(sub); NDArray logits = net.predict(b.input())) {
                        right += CrossEntropy.correct(logits, b.labels());
                        seen += b.labels().getShape().get(0);
                    }
                }
            } catch (LoaderException ex) {
                throw new ProtocolException("reading the test split of " + p.name() + " failed: " + ex.getCause().getMessage(), ex);
            }
            return new long[] {right, seen};
        }

        @Override
        NDArray testInput(NDManager manager) {
            try (BatchLoader test = BatchLoader.builder(Subsets.fixed(p.test(), s.evalLimit()), p.layout(), p.sampleShape())
                    .batchSize(Math.min(s.batch(), p.test().size())).shuffle(false).build(); BatchLoader.Epoch e = test.epoch(0)) {
                Batch b = e.next(manager);
                b.labels().close();
                return b.input();
            }
        }

        @Override
        public void close() { train.close(); }
    }

    private static final class SyntheticData extends Data {
        private final SyntheticDataset data;
        private final RowSettings s;
        private final Mixup mixup;

        SyntheticData(SyntheticDataset data, RowSettings s, Mixup mixup) {
            this.data = data;
            this.s = s;
            this.mixup = mixup;
        }

        @Override
        int batchesPerEpoch() { return Math.max(1, trainSize() / s.batch()); }

        @Override
        int trainSize() { return s.trainLimit() == null ? 64 : s.trainLimit(); }

        @Override
        String description() { return "synthetic class patterns with noise"; }

        @Override
        Epoch epoch(int epoch) {
            SyntheticDataset stream = data.stream(data.seed() * 31 + epoch); // a function of (seed, epoch): resumable
            SplittableRandom mixing = new SplittableRandom(~(data.seed() * 31 + epoch)); // likewise the mixup draws
            return new Epoch() {
                @Override
                public NDArray[] next(NDManager manager) {
                    SyntheticDataset.Batch b = stream.next(manager, s.batch(), DataType.FLOAT32);
                    if (mixup == null) {
                        return new NDArray[] {b.input(), b.labels(), null};
                    }
                    // as the batch loader mixes real data: on the host, time steps [T, B, ...] mixed alike
                    Shape shape = b.input().getShape();
                    float[] x = b.input().toFloatArray();
                    b.input().close();
                    int outer = data.spec().events() ? (int) shape.get(0) : 1;
                    int batch = (int) shape.get(data.spec().events() ? 1 : 0);
                    Mixup.Result r = mixup.apply(x, outer, batch, x.length / (outer * batch), b.labels().toLongArray(),
                            epoch, mixing);
                    return new NDArray[] {Tensors.fromFloats(manager, x, shape), b.labels(),
                            Tensors.fromFloats(manager, r.targets(), new Shape(batch, mixup.classes()))};
                }

                @Override
                public void close() {}
            };
        }

        @Override
        NDArray testInput(NDManager manager) {
            SyntheticDataset.Batch b = data.stream(~data.seed()).next(manager, s.batch(), DataType.FLOAT32);
            b.labels().close();
            return b.input();
        }

        @Override
        long[] evaluate(Network net, NDManager manager) {
            int n = s.evalLimit() == null ? 32 : s.evalLimit();
            SyntheticDataset held = data.stream(~data.seed()); // held-out draws of the same classes
            long right = 0;
            long seen = 0;
            while (seen < n) {
                try (NDManager sub = manager.newSubManager()) {
                    SyntheticDataset.Batch b = held.next(sub, s.batch(), DataType.FLOAT32);
                    try (NDArray logits = net.predict(b.input())) {
                        right += CrossEntropy.correct(logits, b.labels());
                        seen += s.batch();
                    }
                }
            }
            return new long[] {right, seen};
        }
    }
}
