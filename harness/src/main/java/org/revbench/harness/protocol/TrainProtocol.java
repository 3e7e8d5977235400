package org.revbench.harness.protocol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.SyntheticDataset;
import org.revbench.core.data.augment.Mixup;
import org.revbench.core.data.catalog.DataDirectory;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.nn.EnergyEstimate;
import org.revbench.core.train.Adam;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.Lamb;
import org.revbench.core.train.LearningRateSchedule;
import org.revbench.core.train.Optimizer;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.TrainingStep;
import org.revbench.harness.Provenance;
import org.revbench.harness.data.StandIns;
import org.revbench.harness.data.RealDatasets;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.RowSettings;
import org.revbench.harness.bench.Median;

/**
 * Trains a row's model once per seed, epoch by epoch ({@link TrainingLoop}), and measures top-1 test accuracy and
 * training wall time.
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

    /** One training run per seed: a cluster trains a row's seeds on different workers. */
    @Override
    public boolean eachSeedApart() { return true; }

    @Override
    public List<Measurement> measure(ProtocolContext c) throws Exception {
        List<Measurement> out = new ArrayList<>();
        for (long seed : c.seeds()) {
            Map<String, Object> r = seedResult(c, seed);
            Map<String, Object> d = new LinkedHashMap<>(r);
            d.remove("top1");
            d.remove("train_seconds");
            d.remove("sops_per_image");
            d.remove("energy_mj");
            d.remove("seconds_to_target");
            d.remove("epochs_to_target");
            d.remove("finished_at");
            Object finished = r.get("finished_at"); // the moment this seed's training ended
            String at = finished instanceof String f ? f : Provenance.now();
            out.add(c.measurement(name(), "top1", ((Number) r.get("top1")).doubleValue(), "%", seed, d, at));
            out.add(c.measurement(name(), "train_seconds", ((Number) r.get("train_seconds")).doubleValue(), "s", seed, d, at));
            out.add(c.measurement(name(), "sops_per_image", ((Number) r.get("sops_per_image")).doubleValue(), "SOP/img", seed,
                    d, at));
            out.add(c.measurement(name(), "energy_mj", ((Number) r.get("energy_mj")).doubleValue(), "mJ/img", seed, d, at));
            if (r.get("seconds_to_target") != null) { // absent when the target was not reached: nothing to time
                out.add(c.measurement(name(), "seconds_to_target", ((Number) r.get("seconds_to_target")).doubleValue(), "s",
                        seed, d, at));
            }
            if (r.get("epochs_to_target") != null) { // the first epoch whose test reached target_top1 (T-RevSNN Table 5)
                out.add(c.measurement(name(), "epochs_to_target", ((Number) r.get("epochs_to_target")).doubleValue(),
                        "epochs", seed, d, at));
            }
        }
        return out;
    }

    /** The first epoch (1-based) whose test top-1 reached {@code target}; null when none did. */
    static Integer epochsToTarget(List<Double> epochTop1, double target) {
        for (int e = 0; e < epochTop1.size(); e++) {
            if (epochTop1.get(e) >= target) {
                return e + 1;
            }
        }
        return null;
    }

    /**
     * One seed's numbers: from its result file if this code version finished it before with these settings (a run
     * stopped between a seed and the store), else by training, resuming from this code version's checkpoint if there
     * is one. Both files are named by {@link ProtocolContext#identity}: a checkpoint or result of another commit, of
     * other uncommitted changes or of other settings is never taken for this one's. The seed's folder is locked while
     * it trains, so two runs that share a work directory never write one checkpoint.
     */
    private Map<String, Object> seedResult(ProtocolContext c, long seed) throws Exception {
        Path dir = c.workDir().resolve("seed-" + seed);
        Files.createDirectories(dir);
        String id = c.identity(name());
        Path resultFile = dir.resolve("result-" + id + ".json");
        Path checkpoint = dir.resolve("checkpoint-" + id + ".bin");
        try (FileChannel lockFile = FileChannel.open(dir.resolve("train-" + id + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = tryLock(lockFile)) {
            if (lock == null) {
                throw new ProtocolException(c.where() + " seed " + seed + ": another run is training it in " + dir
                        + " (its lock is held); run this row when that run has finished");
            }
            if (Files.exists(resultFile)) {
                Map<String, Object> r = GSON.fromJson(Files.readString(resultFile),
                        new TypeToken<Map<String, Object>>() { }.getType());
                c.log().printf(Locale.ROOT, "    seed %d: finished before by this code, top-1 %.2f%%%n", seed,
                        ((Number) r.get("top1")).doubleValue());
                return r;
            }
            Map<String, Object> r = train(c, seed, checkpoint);
            r.put("finished_at", Provenance.now());
            Path tmp = dir.resolve(resultFile.getFileName() + ".tmp");
            Files.writeString(tmp, GSON.toJson(r));
            Files.move(tmp, resultFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(checkpoint);
            return r;
        }
    }

    /** The lock, or null when another process, or another run in this JVM, holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null;
        }
    }

    private Map<String, Object> train(ProtocolContext c, long seed, Path checkpoint) throws Exception {
        RowSettings s = c.settings();
        Engines.start();
        ModelOptions o = trainingOptions(c, seed, DataType.FLOAT32);
        InputSpec input = c.model().input().overriddenBy(o);
        Mixup mixup = mixup(s);
        TrainData data = open(c, input, seed, mixup);
        LearningRateSchedule schedule = schedule(s);
        CrossEntropy loss = new CrossEntropy(s.labelSmoothing());
        try (data; NDManager manager = Engines.newManager(c.device()); Network net = c.model().build(manager, o);
             Optimizer opt = optimizer(s.optimizer())) {
            TrainingStep step = new TrainingStep(net, loss, opt);
            TrainingLoop.Metrics m = new TrainingLoop.Metrics();
            if (s.targetTop1() != null) {
                m.testEachEpoch(data, net, manager, s.targetTop1()); // time to a target accuracy
            }
            TrainingLoop.Checkpoint saved = new TrainingLoop.Checkpoint(checkpoint, net, opt, m, seed);
            int first = saved.resume();
            if (first > 0) {
                c.log().printf(Locale.ROOT, "    seed %d: resuming after epoch %d from %s%n", seed, first, checkpoint);
            }
            int perEpoch = data.batchesPerEpoch();
            TrainingLoop loop = new TrainingLoop(data, seed, schedule);
            loop.listen(m).listen(progress(c, seed, loop, m, perEpoch))
                    .listen(TrainingLoop.guard((at, ex) -> new ProtocolException(String.format(Locale.ROOT, "%s seed %d:"
                            + " the loss became %s at epoch %d, step %d (lr %g); no result is recorded for this seed",
                            c.row().id(), seed, ex.getMessage(), at.epoch() + 1, at.index() + 1, at.lr()), ex)))
                    .listen(saved).listen(new TrainingLoop.Listener() {
                        @Override
                        public void step(TrainingLoop.At at, TrainingStep.Result r, double seconds) {}

                        @Override
                        public void epoch(int epoch, double seconds) {
                            if (killAfterEpoch == epoch + 1) {
                                throw new SimulatedKill(epoch + 1);
                            }
                        }
                    });
            try {
                loop.run(step::step, first, s.epochs() * perEpoch, manager);
            } catch (UncheckedIOException e) {
                throw e.getCause(); // the checkpoint's write failed: the IOException it was
            }
            long t0 = System.nanoTime();
            long[] acc = data.evaluate(net, manager);
            double evalSeconds = (System.nanoTime() - t0) / 1e9;
            double top1 = 100.0 * acc[0] / acc[1];
            // firing rates of the trained model on test data: synaptic operations and energy (T-RevSNN Eq. 13)
            EnergyEstimate energy;
            try (NDManager sub = manager.newSubManager(); NDArray x = data.testInput(sub)) {
                energy = EnergyEstimate.of(net.activity(x).entries());
            }
            c.log().printf(Locale.ROOT, "    seed %d: top-1 %.2f%% on %d test samples (%.0f s training, %.0f s test)%n", seed,
                    top1, acc[1], m.trainSeconds(), evalSeconds);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("top1", top1);
            r.put("train_seconds", m.trainSeconds());
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
            r.put("epoch_loss", m.epochLoss());
            if (s.targetTop1() != null) {
                r.put("target_top1", s.targetTop1());
                r.put("epoch_top1", m.epochTop1());
                if (!Double.isNaN(m.secondsToTarget())) {
                    r.put("seconds_to_target", m.secondsToTarget());
                }
                Integer epochs = epochsToTarget(m.epochTop1(), s.targetTop1());
                if (epochs != null) {
                    r.put("epochs_to_target", epochs);
                }
            }
            if (m.seconds().length > 0) { // none when a run killed after its last epoch's checkpoint resumes
                r.put("median_step_seconds", Median.of(m.seconds()));
            }
            r.put("resumed_from_epoch", first);
            return r;
        }
    }

    /**
     * The log lines of a seed's training: a handful per epoch with its mean loss and accuracy so far and the time
     * left, and after each epoch's test its top-1.
     */
    private static TrainingLoop.Listener progress(ProtocolContext c, long seed, TrainingLoop loop, TrainingLoop.Metrics m,
                                                  int perEpoch) {
        RowSettings s = c.settings();
        int every = Math.max(4, perEpoch / 5);
        return new TrainingLoop.Listener() {
            @Override
            public void step(TrainingLoop.At at, TrainingStep.Result r, double seconds) {
                int i = at.index();
                if ((i + 1) % every == 0 || i + 1 == perEpoch) {
                    c.log().printf(Locale.ROOT, "    seed %d epoch %d/%d step %d/%d: loss %.4f, acc %.1f%%, lr %.3g,"
                                    + " about %.0f s left%n", seed, at.epoch() + 1, s.epochs(), i + 1, perEpoch,
                            m.epochMeanLoss(), m.epochAccuracy(), at.lr(), loop.secondsLeft(at));
                    c.log().flush();
                }
            }

            @Override
            public void epoch(int epoch, double seconds) {
                if (s.targetTop1() != null) {
                    c.log().printf(Locale.ROOT, "    seed %d epoch %d: test top-1 %.2f%% (target %.1f%%)%n", seed,
                            epoch + 1, m.epochTop1().get(m.epochTop1().size() - 1), s.targetTop1());
                }
            }
        };
    }

    /**
     * The options a row's model trains with: the training T, the seed, {@code dtype}, the row's input size if any, and
     * event frames where the row feeds them to the model ({@link RowSettings#eventInput}).
     */
    static ModelOptions trainingOptions(ProtocolContext c, long seed, DataType dtype) {
        RowSettings s = c.settings();
        ModelOptions o = c.options().withTimesteps(s.trainTimesteps()).withSeed(seed).withDtype(dtype);
        InputSpec own = c.model().input();
        int height = s.inputSize() != null ? s.inputSize() : own.height();
        int width = s.inputSize() != null ? s.inputSize() : own.width();
        if (s.eventInput()) {
            o = InputSpec.withEventFrames(o, height, width);
        } else if (s.inputSize() != null) {
            o = InputSpec.withInput(o, own.channels(), height, width);
        }
        return o;
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

    /** The optimizer a row (or {@code revbench train}) names, with its momentum and weight decay. */
    public static Optimizer optimizer(RowSettings.Optimizer o) {
        return switch (o.name()) {
            case "sgd" -> new Sgd(o.momentum(), o.weightDecay());
            case "adamw" -> Adam.adamW(o.weightDecay());
            case "adam" -> new Adam(0.9, 0.999, 1e-8, o.weightDecay(), false);
            case "lamb" -> Lamb.timm(o.weightDecay());
            default -> throw new ProtocolException("unknown optimizer " + o.name());
        };
    }

    /** The row's training data: synthetic, or a real (or stand-in) dataset prepared for the model's input. */
    static TrainData open(ProtocolContext c, InputSpec input, long seed, Mixup mixup) throws IOException {
        RowSettings s = c.settings();
        if (s.dataset().equals("synthetic")) {
            return TrainData.synthetic(new SyntheticDataset(input, s.classes(), s.trainTimesteps(), seed ^ 0x5EED_DA7AL),
                    s.batch(), s.trainLimit() == null ? 64 : s.trainLimit(), s.evalLimit() == null ? 32 : s.evalLimit(), mixup);
        }
        DataDirectory dir = DataDirectory.resolve(null);
        Path root = s.standIn() == null ? null : StandIns.ensure(s.dataset(), s.standIn(), dir, c.log());
        RealDatasets.Prepared p;
        try {
            p = RealDatasets.prepare(s.dataset(), root, dir, input, s.trainTimesteps(),
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
        return TrainData.real(p, s.batch(), s.trainLimit(), s.evalLimit(), seed, root != null, mixup);
    }
}
