package org.revbench.harness.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.io.IOException;
import java.nio.file.Path;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.SyntheticDataset;
import org.revbench.core.data.loader.LoaderException;
import org.revbench.core.model.InputSpec;
import org.revbench.harness.data.RealDatasets;
import org.revbench.harness.protocol.ProtocolException;
import org.revbench.harness.protocol.TrainData;
import org.revbench.harness.protocol.TrainProtocol;
import org.revbench.harness.protocol.TrainingLoop;
import org.revbench.harness.spec.RowSettings;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.LearningRateSchedule;
import org.revbench.core.train.Optimizer;
import org.revbench.core.train.TrainingStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.revbench.harness.bench.Median;

/**
 * {@code revbench train MODEL --data synthetic}: a short training run with progress lines on stderr and a summary
 * (final loss, accuracy over the last steps, seconds per step) on stdout. Defaults suit a 2-core CPU. The data, the
 * optimizer and the training loop are the train protocol's ({@link TrainData}, {@link TrainProtocol#optimizer},
 * {@link TrainingLoop}); this command chooses them from its options and reports per step.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model for a few steps and report loss, accuracy and speed.",
                "Progress (one line per update) goes to stderr, the summary to stdout."})
final class TrainCommand extends BaseCommand {

    /** The data sources, with what they are. */
    static final Map<String, String> DATA_SOURCES = dataSources();

    private static Map<String, String> dataSources() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("synthetic", "learnable synthetic classes in the model's input format, class pattern plus noise");
        for (String n : RealDatasets.NAMES) {
            m.put(n, "the real dataset from the data directory (or --data-root)");
        }
        return m;
    }

    /** Optimizers; lower case as typed. */
    enum OptimizerKind {
        sgd(0.1, 1e-4), adamw(3e-3, 1e-2);

        final double defaultLr;
        final double defaultWeightDecay;

        OptimizerKind(double lr, double wd) {
            defaultLr = lr;
            defaultWeightDecay = wd;
        }
    }

    @Mixin
    ModelArgument model;

    @Mixin
    DeviceOption deviceOption;

    @Option(names = "--data", required = true, paramLabel = "SOURCE",
            description = "Training data: synthetic, cifar10, cifar100, fashion-mnist, cifar10-dvs, dvs128-gesture, imagenet.")
    String data;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "The dataset's own folder, e.g. one written by `revbench data make-events`.")
    Path dataRoot;

    @Option(names = "--sensor", paramLabel = "PIXELS", defaultValue = "0",
            description = "Event data: crop recordings to this square sensor region (34 for make-events' default).")
    int sensor;

    @Mixin
    InputSizeOption inputSize;

    @Option(names = "--steps", paramLabel = "N",
            description = "Training steps (default: 30 on synthetic data, else all batches of --epochs).")
    Integer stepsOption;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "1", description = "Real data: epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--eval-limit", paramLabel = "N", description = "Real data: evaluate on at most N test samples (default: all).")
    Integer evalLimit;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "8", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--timesteps", paramLabel = "T", defaultValue = "2", description = "Time steps (default ${DEFAULT-VALUE}).")
    int timesteps;

    @Option(names = "--classes", paramLabel = "N",
            description = "Number of classes (default: 10, or the model's own number if smaller).")
    Integer classes;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adamw",
            description = "adamw or sgd (momentum 0.9) (default ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.003 for adamw, 0.1 for sgd).")
    Double lr;

    @Option(names = "--weight-decay", paramLabel = "X",
            description = "Weight decay (default: 0.01 for adamw, 1e-4 for sgd).")
    Double weightDecay;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the weights and the data (default: the model's, 2023).")
    Long seedOption;

    @Option(names = "--noise", paramLabel = "X", defaultValue = "1.0",
            description = "Synthetic data: noise standard deviation relative to the class patterns (default ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--log-every", paramLabel = "K",
            description = "A progress line every K steps (default: every step up to 50 steps, else about 50 lines).")
    Integer logEvery;

    private Long seed;

    @Override
    protected Long seed() { return seed; }

    private int steps;

    @Override
    protected int run() {
        requireAtLeast("--batch", batch, 1);
        requireAtLeast("--timesteps", timesteps, 1);
        requireAtLeast("--epochs", epochs, 1);
        if (stepsOption != null) {
            requireAtLeast("--steps", stepsOption, 1);
        }
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
            throw badOption("--lr must be a positive finite number, got " + lr);
        }
        if (weightDecay != null && !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw badOption("--weight-decay must be a finite number >= 0, got " + weightDecay);
        }
        if (!(noise >= 0 && Double.isFinite(noise))) {
            throw badOption("--noise must be a finite number >= 0, got " + noise);
        }
        if (logEvery != null) {
            requireAtLeast("--log-every", logEvery, 1);
        }
        if (evalLimit != null) {
            requireAtLeast("--eval-limit", evalLimit, 1);
        }
        if (!DATA_SOURCES.containsKey(data)) {
            throw new CliException(CliException.USAGE, "unknown data source '" + data + "'; data sources: "
                    + DATA_SOURCES.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        ModelDefinition def = model.definition();
        ModelOptions o = def.defaults();
        o = inputSize.applyTo(this, def, o);
        InputSpec input = def.input().overriddenBy(o);
        boolean synthetic = data.equals("synthetic");
        RealDatasets.Prepared real = null;
        if (!synthetic) {
            try {
                real = RealDatasets.prepare(data, dataRoot, dataDir.resolve(), input, timesteps, sensor);
            } catch (DatasetFormatException e) {
                // a damaged file, found before the first step: bad input, named with the place in it
                throw new CliException(CliException.USAGE, e.getMessage());
            } catch (IOException e) {
                throw new CliException(CliException.FAILED, "cannot read " + data + ": " + e
                        + " (see `revbench data check " + data + "`)");
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, e.getMessage());
            }
        }
        int k = classes != null ? classes : real != null ? real.classes() : Math.min(10, o.classes());
        requireAtLeast("--classes", k, 2);
        if (real != null && k < real.classes()) {
            throw badOption("--classes " + k + " is fewer than the " + real.classes() + " classes of " + data);
        }
        seed = seedOption != null ? seedOption : o.seed();
        o = o.withClasses(k).withTimesteps(timesteps).withSeed(seed).withDtype(DataType.FLOAT32);
        double rate = lr != null ? lr : optimizer.defaultLr;
        double wd = weightDecay != null ? weightDecay : optimizer.defaultWeightDecay;

        startEngine();
        if (real != null && real.train().size() < batch) {
            throw badOption("--batch " + batch + " is larger than the " + real.train().size() + " training samples");
        }
        if (synthetic) {
            steps = stepsOption != null ? stepsOption : 30;
        }
        // the train protocol's data and loop: synthetic data as one epoch of fresh samples, real data epoch by epoch
        TrainData trainData;
        try {
            trainData = synthetic
                    ? TrainData.synthetic(new SyntheticDataset(input, k, timesteps, seed ^ 0x5EED_DA7AL, noise), batch,
                            Math.multiplyExact(steps, batch), 0, null)
                    : TrainData.real(real, batch, null, evalLimit, seed, false, null);
        } catch (ProtocolException e) {
            throw new CliException(CliException.USAGE, e.getMessage()); // the data cannot make this run (no test split)
        }
        int perEpoch = trainData.batchesPerEpoch();
        if (!synthetic) {
            steps = stepsOption != null ? stepsOption : epochs * perEpoch;
        }
        int every = logEvery != null ? logEvery : Math.max(1, (steps + 49) / 50);
        int window = Math.min(10, steps);

        out().printf(Locale.ROOT, "training %s on %s data%s: %d steps, batch %d, T %d, %d classes, input %s, %s lr %s wd %s, "
                        + "seed %d%n", def.id(), data, real == null ? "" : " (" + real.root() + ", " + real.train().size()
                        + " train / " + real.test().size() + " test)", steps, batch, timesteps, k, input, optimizer,
                fmt(rate), fmt(wd), seed);
        out().flush();

        TrainingLoop.Metrics metrics = new TrainingLoop.Metrics();
        long params;
        Progress progress = null;
        double testAccuracy = Double.NaN;
        int tested = 0;
        double evalSeconds = 0;
        try (trainData; NDManager manager = Engines.newManager(device(deviceOption)); Network net = def.build(manager, o);
             Optimizer opt = TrainProtocol.optimizer(new RowSettings.Optimizer(optimizer.name(), rate, 0.9, wd))) {
            params = net.trainableParameters();
            TrainingStep step = new TrainingStep(net, CrossEntropy.plain(), opt);
            Progress bar = new Progress(err(), "step", steps, Progress.unicodeConsole()); // the clock starts here
            progress = bar;
            TrainingLoop loop = new TrainingLoop(trainData, seed, LearningRateSchedule.constant(rate)).listen(metrics);
            loop.listen((at, r, sec) -> {
                int done = at.step() + 1;
                if (done % every == 0 || done == steps || done == 1) {
                    int from = Math.max(0, done - window);
                    bar.update(done, String.format(Locale.ROOT, "loss %s  acc %5.1f%% (last %d)", number(r.loss()),
                            100.0 * metrics.correct(from, done) / ((done - from) * (long) batch), done - from));
                }
            });
            loop.listen(TrainingLoop.guard((at, e) -> { // the error names the step, with the losses before it
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("model", def.id());
                f.put("step", at.step() + 1);
                f.put("steps", steps);
                f.put("lr", at.lr());
                f.put("losses", metrics.losses());
                return new CliException(CliException.FAILED, e.getMessage(), f, e);
            }));
            loop.run(step::step, 0, steps, manager);
            if (real != null) {
                long t0 = System.nanoTime();
                long[] result = trainData.evaluate(net, manager);
                evalSeconds = (System.nanoTime() - t0) / 1e9;
                tested = (int) result[1];
                testAccuracy = result[0] / (double) result[1];
            }
        } catch (LoaderException e) {
            throw new CliException(CliException.FAILED, "reading " + data + " failed: " + e.getCause().getMessage());
        } catch (ProtocolException e) {
            throw new CliException(CliException.FAILED, e.getMessage());
        }

        double[] losses = metrics.losses();
        int from = steps - window;
        long right = metrics.correct(from, steps);
        double accuracy = right / (double) (window * (long) batch);
        double meanLoss = Arrays.stream(losses, from, steps).average().orElseThrow();
        double median = Median.of(metrics.seconds());
        double mean = Arrays.stream(metrics.seconds()).average().orElseThrow();
        double total = progress.elapsedSeconds();

        out().printf(Locale.ROOT, "final loss %s (mean of the last %d steps %s)%n", number(losses[steps - 1]), window,
                number(meanLoss));
        out().printf(Locale.ROOT, "accuracy over the last %d steps %.1f%% (%d/%d)%n", window, accuracy * 100, right,
                window * (long) batch);
        if (real != null) {
            out().printf(Locale.ROOT, "test accuracy %.2f%% on %d samples (chance %.1f%%), %.1f s%n", testAccuracy * 100,
                    tested, 100.0 / real.classes(), evalSeconds);
        }
        out().printf(Locale.ROOT, "%.3f s per step (median; mean %.3f), %.1f s in all, intra-op threads %d%n", median, mean, total,
                Engines.intraOpThreads());
        out().flush();

        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", def.id());
            m.put("data", data);
            if (real != null) {
                m.put("data_root", real.root().toString());
                m.put("train_samples", trainData.trainSize());
                m.put("test_samples", tested);
                m.put("test_accuracy", testAccuracy);
                m.put("epochs", steps / (double) perEpoch);
            }
            m.put("input", input.toString());
            m.put("classes", k);
            m.put("params", params);
            m.put("steps", steps);
            m.put("batch", batch);
            m.put("timesteps", timesteps);
            m.put("optimizer", optimizer.name());
            m.put("lr", rate);
            m.put("weight_decay", wd);
            if (synthetic) {
                m.put("noise", noise);
            }
            m.put("seed", seed);
            m.put("final_loss", losses[steps - 1]);
            m.put("loss", meanLoss);
            m.put("accuracy", accuracy);
            m.put("accuracy_window", window);
            m.put("seconds_per_step", median);
            m.put("mean_seconds_per_step", mean);
            m.put("total_seconds", total);
            m.put("losses", losses);
            m.put("accuracies", perStepAccuracy(metrics.correct()));
            printJson(m);
        }
        return 0;
    }

    private List<Double> perStepAccuracy(long[] correct) {
        List<Double> a = new ArrayList<>();
        for (long c : correct) {
            a.add(c / (double) batch);
        }
        return a;
    }

    /** 4 decimals for ordinary losses, scientific notation for diverging ones. */
    static String number(double v) {
        return Math.abs(v) < 1e4 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
    }

    /** 0.003, 0.0001, 1e+30: short and exact for the usual settings. */
    static String fmt(double v) {
        if (v == 0 || (Math.abs(v) >= 1e-6 && Math.abs(v) < 1e6)) {
            return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
