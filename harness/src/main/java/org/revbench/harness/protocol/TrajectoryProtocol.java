package org.revbench.harness.protocol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.data.augment.Mixup;
import org.revbench.core.engine.Engines;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.LearningRateSchedule;
import org.revbench.core.train.NonFiniteLossException;
import org.revbench.core.train.Optimizer;
import org.revbench.core.train.TrainingStep;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.RowSettings;

/**
 * Does the memory-saving backward train as plain autograd does? A row's model is built twice from the same seed (the
 * twins start with identical parameters and buffers, checked), one with its memory-saving backward
 * ({@link Network#setMemorySaving} true) and one with plain autograd, and both are trained in lockstep on the same
 * batches in the same order, by the train protocol's loop ({@link TrainingLoop}), its optimizer and its schedule,
 * in each of the row's dtypes. Every {@code trajectory_every} steps the largest parameter difference between the twins
 * is taken, absolute and relative to the parameter's largest magnitude; every step both losses are kept.
 *
 * <p>Float64 is the bound: a reversible backward that reconstructs exactly gives the same trajectory up to
 * round-off, so the twins stay within ~1e-12 relative; in float32 round-off in the reconstruction is larger and a
 * spiking network's thresholds can amplify it, so small growing differences are expected and their size is the
 * measurement. A large float64 divergence is a finding.
 *
 * <p>What could make the twins differ besides the backward, and how it is kept equal:
 * <ul>
 *   <li>Data order and augmentation (and mixup): every batch is drawn once and handed to both twins (each its own
 *   copy of the input, cast to the twin's dtype), so both see the same tensors.</li>
 *   <li>Dropout and any other draw from libtorch's generator: the generator is re-seeded with the same per-step seed
 *   before each twin's step (no model here has dropout at present; a reversible stage replays its per-block seeds
 *   from the network's own seed stream, which starts at the same position in both twins).</li>
 *   <li>BatchNorm: training mode normalises with the batch's statistics, the same in both twins; the running
 *   statistics (buffers, used only at evaluation) are updated by each twin's own forward and their divergence is
 *   reported apart ({@code max_buffer_divergence}), not mixed into the weight divergence.</li>
 *   <li>Optimizer state: each twin has its own optimizer of the row's kind, starting empty.</li>
 * </ul>
 */
public final class TrajectoryProtocol implements Protocol {

    @Override
    public String name() { return "trajectory"; }

    /**
     * One dtype's lockstep run. The control lists are empty when the row trains no control twin; the control's
     * divergences are the control twin's from the plain twin, at the same check steps.
     */
    record Run(String dtype, int steps, List<Double> savingLoss, List<Double> plainLoss, List<Integer> checkSteps,
               List<Double> weightDivergence, List<Double> relativeWeightDivergence, List<Double> bufferDivergence,
               String worstParameter, Integer firstLossDifference, Integer firstLossDivergence, double threshold,
               List<Double> controlLoss, List<Double> controlWeightDivergence,
               List<Double> controlRelativeWeightDivergence, Integer controlFirstLossDivergence) {

        boolean hasControl() { return !controlLoss.isEmpty(); }

        double maxControlRelativeWeightDivergence() {
            return controlRelativeWeightDivergence.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        double maxControlWeightDivergence() {
            return controlWeightDivergence.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        double maxControlLossDifference() {
            double m = 0;
            for (int i = 0; i < controlLoss.size(); i++) {
                m = Math.max(m, Math.abs(controlLoss.get(i) - plainLoss.get(i)));
            }
            return m;
        }

        double maxWeightDivergence() { return weightDivergence.stream().mapToDouble(Double::doubleValue).max().orElse(0); }

        double maxRelativeWeightDivergence() {
            return relativeWeightDivergence.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        double maxBufferDivergence() { return bufferDivergence.stream().mapToDouble(Double::doubleValue).max().orElse(0); }

        double maxLossDifference() {
            double m = 0;
            for (int i = 0; i < savingLoss.size(); i++) {
                m = Math.max(m, Math.abs(savingLoss.get(i) - plainLoss.get(i)));
            }
            return m;
        }
    }

    /** The largest difference between two networks' parameters, over trainable ones and over buffers apart. */
    record Divergence(double maxAbs, double maxRel, String worst, double buffersMaxAbs) {}

    @Override
    public List<Measurement> measure(ProtocolContext c) {
        Engines.start();
        RowSettings s = c.settings();
        long seed = s.seeds().get(0);
        List<Measurement> out = new ArrayList<>();
        for (String dt : s.trajectoryDtypes()) {
            Run r = run(c, seed, dt);
            Map<String, Object> d = details(c, r);
            out.add(c.measurement(name(), "trajectory_max_weight_divergence_" + dt, r.maxWeightDivergence(), "abs", seed, d));
            out.add(c.measurement(name(), "trajectory_max_relative_weight_divergence_" + dt, r.maxRelativeWeightDivergence(),
                    "rel", seed, d));
            out.add(c.measurement(name(), "trajectory_max_loss_difference_" + dt, r.maxLossDifference(), "abs", seed, d));
            if (r.hasControl()) {
                out.add(c.measurement(name(), "trajectory_control_max_weight_divergence_" + dt,
                        r.maxControlWeightDivergence(), "abs", seed, d));
                out.add(c.measurement(name(), "trajectory_control_max_relative_weight_divergence_" + dt,
                        r.maxControlRelativeWeightDivergence(), "rel", seed, d));
                out.add(c.measurement(name(), "trajectory_control_max_loss_difference_" + dt,
                        r.maxControlLossDifference(), "abs", seed, d));
                c.log().printf(Locale.ROOT, "    %s control (autograd from weights nudged by one ulp): max weight"
                                + " divergence %.3e (rel %.3e), max loss difference %.3e, apart by > %.0e at step %s%n",
                        dt, r.maxControlWeightDivergence(), r.maxControlRelativeWeightDivergence(),
                        r.maxControlLossDifference(), r.threshold(),
                        r.controlFirstLossDivergence() == null ? "never" : r.controlFirstLossDivergence());
            }
            c.log().printf(Locale.ROOT, "    %s: %d steps, max weight divergence %.3e (rel %.3e, %s), max loss difference"
                            + " %.3e, losses first differ at step %s, apart by > %.0e at step %s, buffers %.3e%n", dt,
                    r.steps(), r.maxWeightDivergence(), r.maxRelativeWeightDivergence(), r.worstParameter(),
                    r.maxLossDifference(), r.firstLossDifference() == null ? "never" : r.firstLossDifference(),
                    r.threshold(), r.firstLossDivergence() == null ? "never" : r.firstLossDivergence(),
                    r.maxBufferDivergence());
        }
        return out;
    }

    private static Map<String, Object> details(ProtocolContext c, Run r) {
        RowSettings s = c.settings();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dtype", r.dtype());
        d.put("steps", r.steps());
        d.put("batch", s.batch());
        d.put("timesteps", s.trainTimesteps());
        d.put("dataset", s.dataset());
        d.put("optimizer", s.optimizer().name());
        d.put("lr", s.optimizer().lr());
        d.put("check_every", s.trajectoryEvery());
        d.put("loss_threshold", r.threshold());
        // the first step (1-based) whose two losses differ at all, and by more than the threshold; null: never
        d.put("first_loss_difference_step", r.firstLossDifference());
        d.put("first_loss_divergence_step", r.firstLossDivergence());
        d.put("worst_parameter", r.worstParameter());
        d.put("max_buffer_divergence", r.maxBufferDivergence());
        d.put("loss_memory_saving", r.savingLoss());
        d.put("loss_autograd", r.plainLoss());
        d.put("divergence_steps", r.checkSteps());
        d.put("weight_divergence", r.weightDivergence());
        d.put("relative_weight_divergence", r.relativeWeightDivergence());
        d.put("buffer_divergence", r.bufferDivergence());
        d.put("control", r.hasControl());
        if (r.hasControl()) {
            d.put("loss_control", r.controlLoss());
            d.put("control_weight_divergence", r.controlWeightDivergence());
            d.put("control_relative_weight_divergence", r.controlRelativeWeightDivergence());
            d.put("control_first_loss_divergence_step", r.controlFirstLossDivergence());
        }
        return d;
    }

    static DataType dtype(String name) {
        return switch (name) {
            case "float64" -> DataType.FLOAT64;
            case "float32" -> DataType.FLOAT32;
            default -> throw new ProtocolException("the trajectory protocol trains in float32 or float64, not " + name);
        };
    }

    /** Trains the two twins of the row's model in {@code dtypeName} in lockstep. */
    Run run(ProtocolContext c, long seed, String dtypeName) {
        RowSettings s = c.settings();
        DataType dtype = dtype(dtypeName);
        ModelOptions o = TrainProtocol.trainingOptions(c, seed, dtype);
        InputSpec input = c.model().input().overriddenBy(o);
        Mixup mixup = TrainProtocol.mixup(s);
        LearningRateSchedule schedule = TrainProtocol.schedule(s);
        CrossEntropy loss = new CrossEntropy(s.labelSmoothing());
        int every = s.trajectoryEvery();
        double threshold = s.trajectoryLossThreshold();
        TrainData data;
        try {
            data = TrainProtocol.open(c, input, seed, mixup);
        } catch (java.io.IOException e) {
            throw new ProtocolException(c.where() + ": " + e.getMessage(), e);
        }
        boolean withControl = s.trajectoryControl();
        try (data; NDManager manager = Engines.newManager(c.device()); NDManager ms = manager.newSubManager();
             NDManager mp = manager.newSubManager(); NDManager mc = manager.newSubManager();
             Network saving = c.model().build(ms, o); Network plain = c.model().build(mp, o);
             Network control = withControl ? c.model().build(mc, o) : null;
             Optimizer os = TrainProtocol.optimizer(s.optimizer()); Optimizer op = TrainProtocol.optimizer(s.optimizer());
             Optimizer oc = withControl ? TrainProtocol.optimizer(s.optimizer()) : null) {
            saving.setMemorySaving(true);
            plain.setMemorySaving(false);
            Divergence start = divergence(saving, plain);
            if (start.maxAbs() != 0 || start.buffersMaxAbs() != 0) {
                throw new ProtocolException(String.format(Locale.ROOT, "%s: two builds of %s from seed %d differ before"
                        + " training (%s by %.3e, buffers by %.3e): the trajectories would not start from the same"
                        + " weights", c.where(), c.model().id(), seed, start.worst(), start.maxAbs(), start.buffersMaxAbs()));
            }
            TrainingStep savingStep = new TrainingStep(saving, loss, os);
            TrainingStep plainStep = new TrainingStep(plain, loss, op);
            TrainingStep controlStep = null;
            if (control != null) {
                control.setMemorySaving(false);
                nudge(control, dtype);
                if (divergence(control, plain).maxAbs() == 0) {
                    throw new ProtocolException(c.where() + ": the control twin's weights did not move when nudged");
                }
                controlStep = new TrainingStep(control, loss, oc);
            }
            TrainingStep controlTwin = controlStep;
            int perEpoch = data.batchesPerEpoch();
            int total = s.trajectorySteps() != null ? s.trajectorySteps() : s.epochs() * perEpoch;
            List<Double> savingLoss = new ArrayList<>();
            List<Double> plainLoss = new ArrayList<>();
            List<Double> controlLoss = new ArrayList<>();
            List<Integer> checkSteps = new ArrayList<>();
            List<Double> abs = new ArrayList<>();
            List<Double> rel = new ArrayList<>();
            List<Double> buffers = new ArrayList<>();
            List<Double> controlAbs = new ArrayList<>();
            List<Double> controlRel = new ArrayList<>();
            String[] worst = {null};
            double[] worstValue = {-1};
            Integer[] firstDiff = {null};
            Integer[] firstApart = {null};
            Integer[] controlApart = {null};
            long t0 = System.nanoTime();
            int[] next = {0};
            TrainingLoop.BatchStep lockstep = (x, y, targets, rate) -> {
                int step = next[0]++;
                // the same draws from libtorch's generator for every twin (dropout, if a model had any)
                long stepSeed = seed * 1_000_003L + 7919L * step + 1;
                TrainingStep.Result rs;
                TrainingStep.Result rp;
                try (NDArray xs = as(x, dtype); NDArray xp = as(x, dtype); NDArray ts = as(targets, dtype);
                     NDArray tp = as(targets, dtype)) {
                    Engines.seedNative(stepSeed);
                    rs = twinStep(c, savingStep, "memory-saving", step, xs, y, ts, rate);
                    Engines.seedNative(stepSeed);
                    rp = twinStep(c, plainStep, "autograd", step, xp, y, tp, rate);
                }
                savingLoss.add(rs.loss());
                plainLoss.add(rp.loss());
                double diff = Math.abs(rs.loss() - rp.loss());
                if (firstDiff[0] == null && diff > 0) {
                    firstDiff[0] = step + 1;
                }
                if (firstApart[0] == null && diff > threshold) {
                    firstApart[0] = step + 1;
                }
                if (controlTwin != null) {
                    TrainingStep.Result rc;
                    try (NDArray xc = as(x, dtype); NDArray tc = as(targets, dtype)) {
                        Engines.seedNative(stepSeed);
                        rc = twinStep(c, controlTwin, "control", step, xc, y, tc, rate);
                    }
                    controlLoss.add(rc.loss());
                    if (controlApart[0] == null && Math.abs(rc.loss() - rp.loss()) > threshold) {
                        controlApart[0] = step + 1;
                    }
                }
                return rs;
            };
            new TrainingLoop(data, seed, schedule).listen((at, r, seconds) -> {
                int stepsDone = at.step() + 1;
                if (stepsDone % every == 0 || stepsDone == total) {
                    Divergence dv = divergence(saving, plain);
                    checkSteps.add(stepsDone);
                    abs.add(dv.maxAbs());
                    rel.add(dv.maxRel());
                    buffers.add(dv.buffersMaxAbs());
                    if (dv.maxAbs() > worstValue[0]) {
                        worstValue[0] = dv.maxAbs();
                        worst[0] = dv.worst();
                    }
                    String controlNote = "";
                    if (control != null) {
                        Divergence cv = divergence(control, plain);
                        controlAbs.add(cv.maxAbs());
                        controlRel.add(cv.maxRel());
                        controlNote = String.format(Locale.ROOT, ", control rel %.3e", cv.maxRel());
                    }
                    double el = (System.nanoTime() - t0) / 1e9;
                    c.log().printf(Locale.ROOT, "    %s step %d/%d: loss %.6f / %.6f (memory-saving / autograd),"
                                    + " max |dw| %.3e (rel %.3e)%s, about %.0f s left%n", dtypeName, stepsDone, total,
                            savingLoss.get(stepsDone - 1), plainLoss.get(stepsDone - 1), dv.maxAbs(), dv.maxRel(),
                            controlNote, el / stepsDone * (total - stepsDone));
                    c.log().flush();
                }
            }).run(lockstep, 0, total, manager);
            return new Run(dtypeName, total, savingLoss, plainLoss, checkSteps, abs, rel, buffers, worst[0], firstDiff[0],
                    firstApart[0], threshold, controlLoss, controlAbs, controlRel, controlApart[0]);
        }
    }

    /**
     * Moves every non-zero trainable parameter element of {@code n} one ulp up in {@code dtype}: the smallest change
     * the dtype can make everywhere, the size of the round-off a reconstruction leaves. Zeros stay (one ulp of 0 is a
     * denormal, which would only slow the arithmetic down).
     */
    static void nudge(Network n, DataType dtype) {
        for (Parameter p : n.parameters()) {
            if (!p.trainable()) {
                continue;
            }
            double[] v = Tensors.toDoubles(p.array());
            for (int j = 0; j < v.length; j++) {
                if (v[j] != 0) {
                    v[j] = dtype == DataType.FLOAT32 ? Math.nextUp((float) v[j]) : Math.nextUp(v[j]);
                }
            }
            p.setValues(v);
        }
    }

    private static TrainingStep.Result twinStep(ProtocolContext c, TrainingStep step, String twin, int index, NDArray x,
                                                NDArray y, NDArray targets, double lr) {
        try {
            return step.step(x, y, targets, lr);
        } catch (NonFiniteLossException e) {
            throw new ProtocolException(String.format(Locale.ROOT, "%s: the %s twin's loss became non-finite at step %d"
                    + " (%s)", c.where(), twin, index + 1, e.getMessage()), e);
        }
    }

    /** A copy of {@code x} in {@code dtype} (null stays null), so that each twin gets its own input. */
    private static NDArray as(NDArray x, DataType dtype) {
        if (x == null) {
            return null;
        }
        return x.getDataType() == dtype ? x.duplicate() : x.toType(dtype, true);
    }

    /**
     * The twins' largest parameter difference: over trainable parameters, the largest absolute one and the largest
     * relative to the parameter's largest magnitude (the absolute one where that magnitude is 0), naming the worst
     * parameter; and over buffers (BatchNorm's running statistics) the largest absolute one.
     */
    static Divergence divergence(Network a, Network b) {
        List<Parameter> pa = a.parameters();
        List<Parameter> pb = b.parameters();
        if (pa.size() != pb.size()) {
            throw new ProtocolException("the twins have " + pa.size() + " and " + pb.size() + " parameters");
        }
        double maxAbs = 0;
        double maxRel = 0;
        double buffers = 0;
        String worst = pa.isEmpty() ? "none" : pa.get(0).name() + "#0";
        for (int i = 0; i < pa.size(); i++) {
            Parameter x = pa.get(i);
            Parameter y = pb.get(i);
            if (!x.name().equals(y.name()) || !x.shape().equals(y.shape()) || x.trainable() != y.trainable()) {
                throw new ProtocolException("the twins' parameter " + i + " differs: " + x + " and " + y);
            }
            double[] u = Tensors.toDoubles(x.array());
            double[] v = Tensors.toDoubles(y.array());
            double diff = 0;
            double scale = 0;
            for (int j = 0; j < u.length; j++) {
                double dj = Math.abs(u[j] - v[j]);
                diff = Double.isNaN(dj) ? Double.POSITIVE_INFINITY : Math.max(diff, dj);
                scale = Math.max(scale, Math.abs(v[j]));
            }
            if (!x.trainable()) {
                buffers = Math.max(buffers, diff);
                continue;
            }
            if (diff > maxAbs) {
                maxAbs = diff;
                worst = x.name() + "#" + i;
            }
            maxRel = Math.max(maxRel, scale == 0 ? diff : diff / scale);
        }
        return new Divergence(maxAbs, maxRel, worst, buffers);
    }
}
