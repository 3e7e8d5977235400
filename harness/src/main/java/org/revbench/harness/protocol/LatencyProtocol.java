package org.revbench.harness.protocol;

import ai.djl.ndarray.types.DataType;
import org.revbench.core.engine.Devices;
import org.revbench.core.engine.ConvolutionCensus;
import org.revbench.core.engine.ConvolutionFloor;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.train.ModelOnBatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import org.revbench.harness.bench.BenchmarkFork;
import org.revbench.harness.bench.NodeLock;
import org.revbench.harness.bench.InferenceBenchmark;
import org.revbench.harness.bench.TrainingPhaseBenchmark;
import org.revbench.harness.bench.TrainingPhaseSplit;
import org.revbench.harness.bench.TrainingStepBenchmark;
import org.revbench.harness.result.Measurement;

/**
 * Training-step milliseconds and inference microseconds per image, through the committed JMH benchmarks
 * ({@link TrainingStepBenchmark}, {@link InferenceBenchmark}) with the row's forks, warm-up and measured
 * iterations. The median of JMH's samples is the number; p10/p90 and the sample count go into the details.
 * Column {@code train_phases} times the training forward and backward apart ({@link TrainingPhaseBenchmark});
 * {@code train_split} splits the step into forward, recompute, backward and update beside their MACs
 * ({@link TrainingPhaseSplit}, in this process).
 * Each runs only for the columns the row asks for.
 */
public final class LatencyProtocol implements Protocol {

    @Override
    public String name() { return "latency"; }

    /** JMH timings: measured alone on the machine. */
    @Override
    public boolean timed() { return true; }

    @Override
    public List<Measurement> measure(ProtocolContext c) {
        List<Measurement> out = new ArrayList<>();
        boolean train = c.settings().columns().stream().anyMatch(x -> x.id().equals("train_step"));
        boolean infer = c.settings().columns().stream().anyMatch(x -> x.id().equals("inference"));
        int batch = c.settings().latency().batch();
        if (train) {
            Timed t = runAll(c, TrainingStepBenchmark.class, Map.of("classes", String.valueOf(c.settings().classes()),
                    "memorySaving", "true"));
            Statistics s = t.only();
            out.add(c.measurement(name(), "train_step_ms", s.getPercentile(50), "ms", null, details(c, s, batch, t)));
            c.log().printf("    training step: median %.1f ms (p10 %.1f, p90 %.1f, n %d)%n", s.getPercentile(50),
                    s.getPercentile(10), s.getPercentile(90), s.getN());
        }
        if (c.settings().columns().stream().anyMatch(x -> x.id().equals("train_phases"))) {
            Timed t = runAll(c, TrainingPhaseBenchmark.class, Map.of("classes", String.valueOf(c.settings().classes())));
            double iteration = 0;
            for (String phase : List.of("forward", "backward")) {
                Statistics s = of(t.results(), phase, c);
                iteration += s.getPercentile(50);
                out.add(c.measurement(name(), "train_" + phase + "_ms", s.getPercentile(50), "ms", null, details(c, s, batch, t)));
                c.log().printf("    training %s: median %.1f ms (p10 %.1f, p90 %.1f, n %d)%n", phase, s.getPercentile(50),
                        s.getPercentile(10), s.getPercentile(90), s.getN());
            }
            // an iteration without the update (revnode Figure 5 stacks the two): the sum of the two medians
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("batch", batch);
            d.put("timesteps", c.settings().timesteps());
            d.put("of", "median forward + median backward");
            out.add(c.measurement(name(), "train_forward_backward_ms", iteration, "ms", null, d));
        }
        if (c.settings().columns().stream().anyMatch(x -> x.id().equals("train_split"))) {
            out.addAll(trainingSplit(c, batch));
        }
        if (infer) {
            Timed t = runAll(c, InferenceBenchmark.class, Map.of());
            Statistics s = t.only();
            double perImageUs = s.getPercentile(50) * 1000.0 / batch;
            out.add(c.measurement(name(), "inference_us_per_image", perImageUs, "us/img", null, details(c, s, batch, t)));
            c.log().printf("    inference: median %.1f ms per batch of %d, %.0f us/img%n", s.getPercentile(50), batch, perImageUs);
        }
        if (c.settings().columns().stream().anyMatch(x -> x.id().equals("inference_floor"))) {
            out.add(inferenceFloor(c, batch));
        }
        return out;
    }

    /** Timed runs of each convolution for the floor, after two warm-up runs; the median counts. */
    static final int FLOOR_REPEATS = 7;

    /**
     * The convolution floor of one inference of the row's model at the latency batch (core's
     * {@link ConvolutionFloor}), measured in this process, at the run's intra-op threads: one {@code predict} (after
     * one unmeasured) counts the convolutions, then each distinct one is timed on its own.
     */
    private Measurement inferenceFloor(ProtocolContext c, int batch) {
        // the model and batch InferenceBenchmark times: the model's defaults at the row's T, float32, data seed 7
        ModelOptions o = c.model().defaults().withTimesteps(c.settings().timesteps()).withDtype(DataType.FLOAT32);
        ConvolutionFloor.Result f;
        int calls;
        try (ModelOnBatch mb = ModelOnBatch.open(c.model(), o, batch, 7, c.device())) {
            mb.network().predict(mb.batch().input()).close(); // the first run's one-off allocations are not counted
            try (ConvolutionCensus census = ConvolutionCensus.open()) {
                mb.network().predict(mb.batch().input()).close();
                census.close();
                calls = census.calls();
                f = ConvolutionFloor.measure(mb.manager(), census.counts(), 2, FLOOR_REPEATS);
            }
        }
        double perImageUs = f.millis() * 1000.0 / batch;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("batch", batch);
        d.put("timesteps", c.settings().timesteps());
        d.put("floor_ms", f.millis());
        d.put("convolutions", calls);
        d.put("distinct", f.rows().size());
        d.put("repeats", FLOOR_REPEATS);
        d.put("threads", Engines.intraOpThreads());
        d.put("of", "every convolution of one inference, each timed on its own (median), summed");
        c.log().printf("    convolution floor: %.1f ms per batch of %d (%d convolutions, %d distinct), %.0f us/img%n",
                f.millis(), batch, calls, f.rows().size(), perImageUs);
        return c.measurement(name(), "inference_conv_floor_us_per_image", perImageUs, "us/img", null, d);
    }

    /** Unmeasured steps in each mode before the split's timed ones. */
    static final int SPLIT_WARMUP = 2;

    /** Timed steps in each mode for the split; the median of each phase counts. */
    static final int SPLIT_ITERATIONS = 5;

    /**
     * The training step of the row's model at the latency batch split by phase ({@link TrainingPhaseSplit}), in this
     * process at the run's intra-op threads: each phase's median milliseconds, the step's convolution MACs and its pace
     * (milliseconds per GMAC; a model whose time follows its work has the pace of the model it is compared with).
     */
    private List<Measurement> trainingSplit(ProtocolContext c, int batch) {
        // the model and batch TrainingStepBenchmark times: the row's classes and T, float32, data seed 7
        ModelOptions o = c.model().defaults().withTimesteps(c.settings().timesteps())
                .withClasses(c.settings().classes()).withDtype(DataType.FLOAT32);
        TrainingPhaseSplit.Result r;
        try (ModelOnBatch mb = ModelOnBatch.open(c.model(), o, batch, 7, c.device())) {
            r = TrainingPhaseSplit.measure(mb, SPLIT_WARMUP, SPLIT_ITERATIONS);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("batch", batch);
        d.put("timesteps", c.settings().timesteps());
        d.put("warmup", SPLIT_WARMUP);
        d.put("iterations", SPLIT_ITERATIONS);
        d.put("threads", Engines.intraOpThreads());
        d.putAll(r.figures());
        d.put("of", "medians per phase of steps alternating the memory-saving backward on and off; recompute = "
                + "memory-saving backward - autograd backward; MACs of the convolutions, backward twice the recorded ones");
        c.log().printf("    training split: forward %.1f, recompute %.1f, backward %.1f, update %.1f ms; %.2f conv GMAC, "
                        + "%.2f ms/GMAC%n", r.forwardMs(), r.recomputeMs(), r.autogradBackwardMs(), r.updateMs(),
                r.macs() / 1e9, r.msPerGmac());
        List<Measurement> out = new ArrayList<>();
        out.add(c.measurement(name(), "train_ms_per_conv_gmac", r.msPerGmac(), "ms/GMAC", null, d));
        out.add(c.measurement(name(), "train_conv_gmacs", r.macs() / 1e9, "GMAC", null, d));
        out.add(c.measurement(name(), "train_phase_forward_ms", r.forwardMs(), "ms", null, d));
        // a difference below zero is the clock's noise where nothing is recomputed: stored as 0, the difference itself
        // in the details
        out.add(c.measurement(name(), "train_phase_recompute_ms", Math.max(0, r.recomputeMs()), "ms", null, d));
        out.add(c.measurement(name(), "train_phase_backward_ms", r.autogradBackwardMs(), "ms", null, d));
        out.add(c.measurement(name(), "train_phase_update_ms", r.updateMs(), "ms", null, d));
        return out;
    }

    private static Map<String, Object> details(ProtocolContext c, Statistics s, int batch, Timed t) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("batch", batch);
        d.put("timesteps", c.settings().timesteps());
        d.put("median_ms", s.getPercentile(50));
        d.put("p10_ms", s.getPercentile(10));
        d.put("p90_ms", s.getPercentile(90));
        d.put("samples", s.getN());
        d.put("forks", c.settings().latency().forks());
        d.put("warmup", c.settings().latency().warmup());
        d.put("iterations", c.settings().latency().iterations());
        d.put("seconds", c.settings().latency().seconds());
        d.put("fork_threads", t.threads());
        if (!t.origin().equals(c.where())) {
            d.put("measured_for", t.origin()); // the same benchmark and settings, earlier in this run
        }
        return d;
    }

    /** A JMH run's results, the row ({@code table row}) it was first run for, and its forks' intra-op threads. */
    private record Timed(Collection<RunResult> results, String origin, int threads) {
        /** The statistics of a benchmark's only method (milliseconds per operation, SampleTime). */
        Statistics only() {
            return results.iterator().next().getPrimaryResult().getStatistics();
        }
    }

    /**
     * Runs measured in this JVM, by benchmark, model, parameters and JMH settings: a configuration that several tables
     * list (T-RevSNN Table 2's MS-ResNet-34 at T 4 is Table 6's baseline; Table 4's T 4 row is tiny) is timed once per
     * run, and every row that lists it reports that one measurement.
     */
    private static final Map<List<Object>, Timed> RUNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The JMH options of one run of {@code benchmark} for this row, its forks at {@code threads} intra-op threads. */
    static ChainedOptionsBuilder options(ProtocolContext c, Class<?> benchmark, Map<String, String> extra, int threads) {
        var l = c.settings().latency();
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
                .param("model", c.model().id())
                .param("batch", String.valueOf(l.batch()))
                .param("timesteps", String.valueOf(c.settings().timesteps()))
                .param("device", Devices.name(c.device()))
                .forks(l.forks())
                .warmupIterations(l.warmup())
                .measurementIterations(l.iterations())
                .warmupTime(TimeValue.seconds(l.seconds()))
                .measurementTime(TimeValue.seconds(l.seconds()))
                .jvmArgsAppend(BenchmarkFork.jvmArgs(threads)) // the run's --threads, which the fork checks it took
                .output(c.workDir().resolve("jmh-" + benchmark.getSimpleName() + ".log").toString()); // JMH's own log
        extra.forEach(b::param);
        return b;
    }

    /**
     * The intra-op threads of the forks: the run's own (its provenance, which {@code --threads} set), so that the
     * provenance every latency measurement carries is what timed it; the engine's count where the provenance has none.
     */
    static int forkThreads(ProtocolContext c) {
        Integer t = c.provenance().threads();
        return t != null ? t : org.revbench.core.engine.Engines.threads();
    }

    /** The statistics of {@code method} among a run's results. */
    private static Statistics of(Collection<RunResult> results, String method, ProtocolContext c) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + method)) {
                return r.getPrimaryResult().getStatistics();
            }
        }
        throw new ProtocolException("JMH produced no result for " + method + " of " + c.model().id());
    }

    /** One JMH run of every method of {@code benchmark} for this row, or the same run made earlier in this JVM. */
    private static Timed runAll(ProtocolContext c, Class<?> benchmark, Map<String, String> extra) {
        var l = c.settings().latency();
        int threads = forkThreads(c);
        List<Object> key = List.of(benchmark.getName(), c.model().id(), l.batch(), c.settings().timesteps(),
                new java.util.TreeMap<>(extra), l.forks(), l.warmup(), l.iterations(), l.seconds(), threads,
                Devices.name(c.device()));
        Timed known = RUNS.get(key);
        if (known != null) {
            c.log().printf("    %s: the same run as %s, earlier in this run%n", benchmark.getSimpleName(), known.origin());
            return known;
        }
        ChainedOptionsBuilder b = options(c, benchmark, extra, threads);
        Collection<RunResult> results;
        try (NodeLock lock = NodeLock.exclusive(c.log(), c.where() + " " + benchmark.getSimpleName())) {
            results = new Runner(b.build()).run();
        } catch (RunnerException e) {
            throw new ProtocolException(benchmark.getSimpleName() + " failed for " + c.model().id() + ": " + e.getMessage(), e);
        }
        if (results.isEmpty()) {
            throw new ProtocolException(benchmark.getSimpleName() + " produced no result for " + c.model().id()
                    + " (see " + c.workDir().resolve("jmh-" + benchmark.getSimpleName() + ".log") + ")");
        }
        Timed t = new Timed(results, c.where(), threads);
        RUNS.put(key, t);
        return t;
    }
}
