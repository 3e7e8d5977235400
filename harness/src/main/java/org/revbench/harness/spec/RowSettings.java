package org.revbench.harness.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.revbench.core.engine.Devices;

/**
 * Everything one row runs with at one scale, after merging (spec defaults, then the row, then the scale's
 * reduction, then the row's own scale overrides). Protocols read only this; they never ask which model or table.
 *
 * @param dataset      data the train protocol uses ({@code cifar10}, {@code fashion-mnist}, {@code synthetic} ...)
 * @param classes      classifier width
 * @param timesteps    T of every architecture column (memory, latency, static)
 * @param trainTimesteps T of the train protocol: {@code timesteps} unless a reduced scale declares fewer
 * @param optimizer    {@code sgd} (lr, momentum, weight_decay), {@code adamw} / {@code adam} / {@code lamb} (lr, weight_decay)
 * @param schedule     learning-rate schedule: {@code step} (milestones in epochs, gamma), {@code cosine}
 *                     (warmup_epochs, warmup_from, min_lr), {@code constant}
 * @param epochs       training epochs
 * @param batch        training batch (also the memory protocol's batch unless {@code memoryBatch} says otherwise)
 * @param augmentation named augmentations, in order
 * @param seeds        one training run per seed
 * @param columns      what this row reports
 * @param trainLimit   training samples used (null: all)
 * @param evalLimit    test samples used (null: all)
 * @param memoryBatch  batch of the memory protocol
 * @param latency      the latency protocol's batch and JMH settings
 * @param inputSize    training input height and width when it differs from the model's (a stand-in dataset's
 *                     size); null: the model's own. Architecture-only columns always use the model's own input.
 * @param eventInput   the train and trajectory protocols feed the model the dataset's event frames {@code [T, B, 2, H, W]},
 *                     one per step, whatever input it was defined for ({@code event_input: true}): an image model's
 *                     stem then runs on every frame instead of once on an image repeated over T, and only the stem's
 *                     input channels change. The dataset must hold events.
 * @param standIn      where the dataset is made rather than read: events recorded from images in the real
 *                     dataset's file format (null: read the real dataset)
 * @param labelSmoothing cross-entropy label smoothing (0: plain)
 * @param mixup        mixup of the DVS protocol, or null
 * @param targetTop1   a test top-1 (%) whose first crossing the train protocol times (it then tests after every
 *                     epoch); null: test only at the end
 * @param notRun       when non-null, this row does not run at this scale, and this says why
 * @param note         how this scale differs from the paper's protocol (shown in the report)
 * @param raw          the merged map, for hashing and for the record
 */
public record RowSettings(String dataset, int classes, int timesteps, int trainTimesteps, Optimizer optimizer, Schedule schedule, int epochs,
                          int batch, List<String> augmentation, List<Long> seeds, List<Column> columns, Integer trainLimit,
                          Integer evalLimit, int memoryBatch, Latency latency, Integer inputSize, boolean eventInput, StandIn standIn,
                          double labelSmoothing, Mixup mixup, Double targetTop1, String notRun, String note, Map<String, Object> raw) {

    static final Set<String> FIELDS = Set.of("dataset", "classes", "timesteps", "neuron", "optimizer", "schedule", "epochs",
            "batch", "augmentation", "seeds", "columns", "train_limit", "eval_limit", "memory_batch", "latency", "input_size",
            "event_input", "stand_in", "label_smoothing", "mixup", "train_timesteps", "target_top1", "not_run",
            "note", "memory_reference", "memory_warmup", "trajectory_steps", "trajectory_every", "trajectory_dtypes",
            "trajectory_loss_threshold", "trajectory_control", "device");

    /** The datasets of event recordings ({@code event_input}); synthetic data is made in whatever form the model takes. */
    static final List<String> EVENT_DATASETS = List.of("cifar10-dvs", "dvs128-gesture", "synthetic");

    /** The dtypes the trajectory protocol may train its twins in. */
    static final List<String> TRAJECTORY_DTYPES = List.of("float64", "float32");

    /** SGD or Adam(W) with its hyper-parameters. */
    public record Optimizer(String name, double lr, double momentum, double weightDecay) {
        static final Set<String> NAMES = Set.of("sgd", "adam", "adamw", "lamb");
    }

    /** A learning-rate schedule over epochs. */
    public record Schedule(String name, List<Long> milestones, double gamma, int warmupEpochs, double warmupFrom, double minLr) {
        static final Set<String> NAMES = Set.of("step", "cosine", "constant");
    }

    /** The latency protocol: batch and JMH settings (forks, warm-up and measured iterations, seconds each). */
    public record Latency(int batch, int forks, int warmup, int iterations, int seconds) {}

    /**
     * A dataset made on this machine in the real dataset's file format: events recorded by the simulated camera
     * from {@code from} images ({@code revbench data make-events}), {@code limit} of them, on a sensor of
     * {@code sensor} pixels.
     */
    public record StandIn(String from, String format, int limit, int sensor) {}

    /**
     * Mixup (docs/papers.md, ParaRevSNN training protocols, DVS): Beta(alpha) mixing with probability prob; with
     * {@code offAfterEpoch} n, epochs 1..n (1-based) mix and later ones do not (null: every epoch mixes). The
     * row's label smoothing goes into the mixed soft targets.
     */
    public record Mixup(double alpha, double prob, Integer offAfterEpoch) {}

    /**
     * A second model whose peak the memory protocol also measures under the same settings, to report the part of the
     * row model's peak that the reference does not hold (e.g. the same network without its spiking nodes: the nodes'
     * share). Null: none. Spec field {@code memory_reference}.
     */
    public String memoryReference() {
        Object v = raw.get("memory_reference");
        return v == null ? null : v.toString();
    }

    /**
     * The device this row runs on at this scale where the spec names one (spec field {@code device}: {@code cpu},
     * {@code cuda}, {@code cuda:N}), e.g. {@code cuda} at the papers' scale; null: none named. The command line's
     * {@code --device} and {@code REVBENCH_DEVICE} come first.
     */
    public String device() {
        Object v = raw.get("device");
        return v == null ? null : v.toString();
    }

    /** Unmeasured training steps before the memory protocol's measured one (spec field {@code memory_warmup}, default 1). */
    public int memoryWarmup() {
        Object v = raw.get("memory_warmup");
        return v == null ? 1 : ((Number) v).intValue();
    }

    /**
     * Training steps of the trajectory protocol's twins (spec field {@code trajectory_steps}); null: the row's
     * epochs of training batches.
     */
    public Integer trajectorySteps() {
        Object v = raw.get("trajectory_steps");
        return v == null ? null : ((Number) v).intValue();
    }

    /** The trajectory protocol compares the twins' weights every this many steps (spec field {@code trajectory_every}, default 10). */
    public int trajectoryEvery() {
        Object v = raw.get("trajectory_every");
        return v == null ? 10 : ((Number) v).intValue();
    }

    /** The dtypes the trajectory protocol trains its twins in, in order (spec field {@code trajectory_dtypes}, default float64 then float32). */
    @SuppressWarnings("unchecked")
    public List<String> trajectoryDtypes() {
        Object v = raw.get("trajectory_dtypes");
        return v == null ? TRAJECTORY_DTYPES : List.copyOf((List<String>) v);
    }

    /**
     * The loss difference above which the trajectory protocol calls the twins' losses apart (spec field
     * {@code trajectory_loss_threshold}, default 1e-6, absolute).
     */
    public double trajectoryLossThreshold() {
        Object v = raw.get("trajectory_loss_threshold");
        return v == null ? 1e-6 : ((Number) v).doubleValue();
    }

    /**
     * Whether the trajectory protocol trains a third twin, the control: plain autograd from the same weights nudged by
     * one ulp each (spec field {@code trajectory_control}, default true). How far it parts from the plain twin is what
     * round-off alone does to this training run, the yardstick for the memory-saving twin's divergence.
     */
    public boolean trajectoryControl() {
        Object v = raw.get("trajectory_control");
        return v == null || (Boolean) v;
    }

    /** True when this row asks for a column measured by {@code protocol}. */
    public boolean wants(String protocol) {
        return columns.stream().anyMatch(c -> c.protocol().equals(protocol));
    }

    /** Protocols this row needs, in a fixed order (cheap, architecture-only ones first). */
    public List<String> protocols() {
        List<String> out = new ArrayList<>();
        for (String p : List.of("static", "invertibility", "memory", "latency", "train", "trajectory", "crosscheck")) {
            if (wants(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * A short stable hash of the model and these settings: a changed row is a new experiment, so stored results
     * of the old one are not taken for it.
     */
    public String hash(String model) {
        String canonical = model + "|" + canonical(raw);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static String canonical(Object o) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            new TreeMap<>((Map<String, Object>) m).forEach((k, v) -> {
                if (!k.equals("note")) { // prose does not change the experiment
                    b.append(k).append('=').append(canonical(v)).append(';');
                }
            });
            return b.append('}').toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            l.forEach(v -> b.append(canonical(v)).append(','));
            return b.append(']').toString();
        }
        return String.valueOf(o);
    }

    /** Reads and checks merged settings; {@code where} names file, row and scale for errors. */
    static RowSettings from(Map<String, Object> merged, String where) {
        Fields f = new Fields(merged, where);
        f.allowOnly(FIELDS);
        String notRun = f.optString("not_run");
        String device = f.optString("device");
        if (device != null) {
            try {
                Devices.parse(device);
            } catch (IllegalArgumentException e) {
                throw f.error("device", e.getMessage());
            }
        }
        Fields o = f.sub("optimizer");
        o.allowOnly(Set.of("name", "lr", "momentum", "weight_decay"));
        String oname = o.string("name");
        if (!Optimizer.NAMES.contains(oname)) {
            throw o.error("name", "must be one of " + Optimizer.NAMES + ", got '" + oname + "'");
        }
        double lr = o.number("lr");
        if (lr <= 0) {
            throw o.error("lr", "must be positive, got " + lr);
        }
        Optimizer optimizer = new Optimizer(oname, lr, o.optNumber("momentum", 0), o.optNumber("weight_decay", 0));
        Fields s = f.sub("schedule");
        s.allowOnly(Set.of("name", "milestones", "gamma", "warmup_epochs", "warmup_from", "min_lr"));
        String sname = s.string("name");
        if (!Schedule.NAMES.contains(sname)) {
            throw s.error("name", "must be one of " + Schedule.NAMES + ", got '" + sname + "'");
        }
        Schedule schedule = new Schedule(sname, s.has("milestones") ? s.longs("milestones", false) : List.of(),
                s.optNumber("gamma", 0.1), s.has("warmup_epochs") ? s.positiveInt("warmup_epochs") : 0,
                s.optNumber("warmup_from", 0), s.optNumber("min_lr", 0));
        List<Column> columns = new ArrayList<>();
        for (String c : f.strings("columns")) {
            try {
                columns.add(Column.parse(c));
            } catch (IllegalArgumentException e) {
                throw f.error("columns", e.getMessage());
            }
        }
        int batch = f.positiveInt("batch");
        Fields l = f.sub("latency");
        l.allowOnly(Set.of("batch", "forks", "warmup", "iterations", "seconds"));
        Latency latency = new Latency(l.positiveInt("batch"), l.positiveInt("forks"),
                l.has("warmup") ? nonNegative(l, "warmup") : 0, l.positiveInt("iterations"), l.positiveInt("seconds"));
        StandIn standIn = null;
        if (f.has("stand_in")) {
            Fields si = f.sub("stand_in");
            si.allowOnly(Set.of("from", "format", "limit", "sensor"));
            String format = si.string("format");
            if (!format.equals("aedat2") && !format.equals("aedat31")) {
                throw si.error("format", "must be aedat2 or aedat31, got '" + format + "'");
            }
            standIn = new StandIn(si.string("from"), format, si.positiveInt("limit"), si.positiveInt("sensor"));
        }
        Mixup mixup = null;
        if (f.has("mixup")) {
            Fields mx = f.sub("mixup");
            mx.allowOnly(Set.of("alpha", "prob", "off_after_epoch"));
            double alpha = mx.number("alpha");
            if (alpha <= 0) {
                throw mx.error("alpha", "must be positive (the Beta distribution's parameter), got " + alpha);
            }
            double prob = mx.number("prob");
            if (prob < 0 || prob > 1) {
                throw mx.error("prob", "must be a probability in [0, 1], got " + prob);
            }
            mixup = new Mixup(alpha, prob, mx.optPositiveInt("off_after_epoch"));
        }
        double smoothing = f.optNumber("label_smoothing", 0);
        if (smoothing < 0 || smoothing >= 1) {
            throw f.error("label_smoothing", "must be in [0, 1), got " + smoothing);
        }
        int timesteps = f.positiveInt("timesteps");
        int classes = f.positiveInt("classes");
        if (mixup != null && classes < 2) {
            throw f.error("mixup", "mixes the targets of at least 2 classes; the row has " + classes);
        }
        f.optString("memory_reference");
        if (f.has("memory_warmup") && !(merged.get("memory_warmup") instanceof Integer w && w >= 0)) {
            throw f.error("memory_warmup", "must be an integer >= 0, got " + merged.get("memory_warmup"));
        }
        f.optPositiveInt("trajectory_steps");
        f.optPositiveInt("trajectory_every");
        if (f.has("trajectory_dtypes")) {
            List<String> dtypes = f.strings("trajectory_dtypes");
            if (dtypes.isEmpty() || !TRAJECTORY_DTYPES.containsAll(dtypes) || Set.copyOf(dtypes).size() != dtypes.size()) {
                throw f.error("trajectory_dtypes", "must list some of " + TRAJECTORY_DTYPES + ", each once, got " + dtypes);
            }
        }
        if (f.has("trajectory_control") && !(merged.get("trajectory_control") instanceof Boolean)) {
            throw f.error("trajectory_control", "must be true or false, got " + merged.get("trajectory_control"));
        }
        if (f.has("trajectory_loss_threshold") && !(f.number("trajectory_loss_threshold") > 0)) {
            throw f.error("trajectory_loss_threshold", "must be positive, got " + merged.get("trajectory_loss_threshold"));
        }
        boolean eventInput = false;
        if (f.has("event_input")) {
            if (!(merged.get("event_input") instanceof Boolean b)) {
                throw f.error("event_input", "must be true or false, got " + merged.get("event_input"));
            }
            eventInput = b;
        }
        String dataset = f.string("dataset");
        if (eventInput && !EVENT_DATASETS.contains(dataset)) {
            throw f.error("event_input", "feeds the model event frames, but dataset " + dataset + " holds no events (one of "
                    + EVENT_DATASETS + ")");
        }
        return new RowSettings(dataset, classes, timesteps,
                f.has("train_timesteps") ? f.positiveInt("train_timesteps") : timesteps, optimizer, schedule,
                f.positiveInt("epochs"), batch, f.has("augmentation") ? f.strings("augmentation") : List.of(),
                f.longs("seeds", true), List.copyOf(columns), f.optPositiveInt("train_limit"), f.optPositiveInt("eval_limit"),
                f.has("memory_batch") ? f.positiveInt("memory_batch") : batch, latency, f.optPositiveInt("input_size"),
                eventInput, standIn, smoothing, mixup, f.has("target_top1") ? percent(f, "target_top1") : null, notRun, f.optString("note"), merged);
    }

    private static double percent(Fields f, String field) {
        double v = f.number(field);
        if (v <= 0 || v > 100) {
            throw f.error(field, "must be a percentage in (0, 100], got " + v);
        }
        return v;
    }

    private static int nonNegative(Fields f, String field) {
        double v = f.number(field);
        if (v < 0 || v != Math.rint(v)) {
            throw f.error(field, "must be a non-negative integer, got " + v);
        }
        return (int) v;
    }
}
