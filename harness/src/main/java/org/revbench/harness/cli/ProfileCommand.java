package org.revbench.harness.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.engine.ConvolutionCensus;
import org.revbench.core.engine.ConvolutionFloor;
import org.revbench.core.engine.DeviceSync;
import org.revbench.core.engine.Engines;
import org.revbench.core.engine.OpProfiler;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.train.ModelOnBatch;
import org.revbench.core.train.TrainingStep;
import org.revbench.harness.bench.OpProfile;
import org.revbench.harness.bench.TimedTrainingStep;
import org.revbench.harness.bench.TrainingPhaseSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.revbench.harness.bench.Median;

/**
 * {@code revbench profile MODEL}: where one model's time goes, op by op. Runs the warm-up iterations, times the
 * measured ones without the profiler, runs them again under libtorch's profiler ({@link OpProfiler}) and aggregates
 * its trace ({@link OpProfile}): libtorch calls per iteration, time inside them, by kind of call and by op.
 *
 * <p>An iteration is what the benchmarks time: inference is {@code predict} of one batch (evaluation mode, nothing
 * recorded; {@code InferenceBenchmark}); training is one {@link TrainingStep} (forward, loss, backward, SGD update,
 * memory-saving backward on; {@code TrainingStepBenchmark}). The profiler slows small ops down by about two:
 * compare profiles with profiles and wall times with wall times (docs/architecture.md, Profiling).
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Where one model's time goes, op by op: wall time per iteration, then the same iterations "
                + "under libtorch's profiler, by kind of call and by op.",
                "Profiled times are about twice the unprofiled ones for small ops: compare profiles with profiles."})
final class ProfileCommand extends BaseCommand {

    @Mixin
    ModelArgument model;

    @Mixin
    DeviceOption deviceOption;

    @Option(names = "--phase", paramLabel = "PHASE", defaultValue = "inference",
            description = "inference (predict, evaluation mode) or training (forward, loss, backward, SGD update); "
                    + "default ${DEFAULT-VALUE}.")
    String phase;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    TimestepsOption timesteps;

    @Mixin
    ClassesOption classes;

    @Mixin
    InputSizeOption inputSize;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
            description = "Unmeasured iterations first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "10",
            description = "Iterations timed, then as many profiled (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--top", paramLabel = "N", defaultValue = "15",
            description = "Ops listed, the largest self time first (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--floor", description = "Also the convolution floor: every convolution of one iteration timed on its "
            + "own (same shapes, threads and data type; with its backward where the iteration records it) and summed, "
            + "the time no change outside the convolutions can beat on this library and machine.")
    boolean floor;

    @Option(names = "--floor-repeats", paramLabel = "N", defaultValue = "5",
            description = "Timed runs of each convolution for the floor, after two warm-up runs; the median counts "
                    + "(default ${DEFAULT-VALUE}).")
    int floorRepeats;

    @Option(names = "--split", description = "Training only: also the step split into forward, recompute, backward "
            + "and update, each timed apart (the backward with the memory-saving backward off; the recompute is what "
            + "switching it on adds) beside the convolution MACs each must do.")
    boolean split;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Keep libtorch's raw trace (Chrome trace JSON) in FILE (default: a temporary file, deleted).")
    Path trace;

    private ModelOptions options;

    @Override
    protected Long seed() { return options == null ? null : options.seed(); }

    @Override
    protected int run() {
        if (!phase.equals("inference") && !phase.equals("training")) {
            throw badOption("--phase must be inference or training, got '" + phase + "'");
        }
        requireAtLeast("--batch", batch, 1);
        requireAtLeast("--warmup", warmup, 0);
        requireAtLeast("--iterations", iterations, 1);
        requireAtLeast("--top", top, 0);
        requireAtLeast("--floor-repeats", floorRepeats, 1);
        if (split && !phase.equals("training")) {
            throw badOption("--split splits a training step: it needs --phase training");
        }
        ModelDefinition def = model.definition();
        options = timesteps.applyTo(this, classes.applyTo(this, inputSize.applyTo(this, def, def.defaults())))
                .withDtype(DataType.FLOAT32);
        startEngine();
        int threads = Engines.intraOpThreads();
        String allocator = org.revbench.harness.Allocator.detect(); // as the provenance names it

        double[] wall = new double[iterations];
        double[] profiledWall = new double[iterations];
        OpProfile profile;
        ConvolutionFloor.Result convFloor = null;
        TrainingPhaseSplit.Result phases = null;
        int convCalls = 0;
        Path file = trace != null ? trace : tempFile();
        Device device = device(deviceOption);
        try {
            try (ModelOnBatch mb = ModelOnBatch.open(def, options, batch, options.seed(), device); Iteration it = iteration(mb)) {
                for (int i = 0; i < warmup; i++) {
                    it.run();
                }
                for (int i = 0; i < iterations; i++) {
                    wall[i] = timed(it);
                }
                try (OpProfiler profiler = OpProfiler.start(device, true)) {
                    for (int i = 0; i < iterations; i++) {
                        profiledWall[i] = timed(it);
                    }
                    profiler.stop(file);
                }
                if (floor) {
                    try (ConvolutionCensus census = ConvolutionCensus.open()) {
                        it.run();
                        census.close();
                        convCalls = census.calls();
                        convFloor = ConvolutionFloor.measure(mb.manager(), census.counts(), 2, floorRepeats);
                    }
                }
                if (split) {
                    phases = TrainingPhaseSplit.measure(mb, warmup, iterations);
                }
            }
            try {
                profile = OpProfile.read(file, iterations);
            } catch (IOException | RuntimeException e) {
                throw new CliException(CliException.FAILED, "cannot read libtorch's trace " + file + ": " + e);
            }
        } finally {
            if (trace == null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }

        double[] sortedWall = wall.clone();
        Arrays.sort(sortedWall);
        double wallMedian = Median.of(wall);
        double profiledMedian = Median.of(profiledWall);
        print(def, threads, allocator, wallMedian, sortedWall[0], profiledMedian, mean(profiledWall), profile);
        if (convFloor != null) {
            printFloor(convFloor, convCalls, wallMedian);
        }
        if (phases != null) {
            printSplit(phases);
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", def.id());
            m.put("phase", phase);
            m.put("batch", batch);
            m.put("timesteps", options.timesteps());
            m.put("classes", options.classes());
            m.put("input", def.input().overriddenBy(options).toString());
            m.put("threads", threads);
            m.put("allocator", allocator);
            m.put("warmup", warmup);
            m.put("iterations", iterations);
            m.put("wall_ms_median", wallMedian);
            m.put("wall_ms_min", sortedWall[0]);
            m.put("wall_ms", wall);
            m.put("profiled_wall_ms_median", profiledMedian);
            m.put("profiled_wall_ms_mean", mean(profiledWall));
            m.put("profiled_wall_ms", profiledWall);
            m.put("calls_per_iteration", profile.callsPerIteration());
            m.put("events_per_iteration", profile.perIteration(profile.events()));
            m.put("ops_ms_per_iteration", profile.opsMsPerIteration());
            List<Map<String, Object>> kinds = new ArrayList<>();
            for (OpProfile.KindRow k : profile.kinds()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("kind", k.kind().id());
                r.put("calls_per_iteration", profile.perIteration(k.calls()));
                r.put("ms_per_iteration", profile.msPerIteration(k.micros()));
                r.put("share", profile.share(k.micros()));
                kinds.add(r);
            }
            m.put("kinds", kinds);
            List<Map<String, Object>> ops = new ArrayList<>();
            for (OpProfile.OpRow o : profile.ops().subList(0, Math.min(top, profile.ops().size()))) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", o.name());
                r.put("calls_per_iteration", profile.perIteration(o.calls()));
                r.put("self_ms_per_iteration", profile.msPerIteration(o.selfMicros()));
                r.put("share", profile.share(o.selfMicros()));
                r.put("shape", o.commonShape());
                ops.add(r);
            }
            m.put("ops", ops);
            if (convFloor != null) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("ms_per_iteration", convFloor.millis());
                f.put("share_of_wall", convFloor.millis() / wallMedian);
                f.put("calls_per_iteration", convCalls);
                f.put("distinct", convFloor.rows().size());
                f.put("repeats", floorRepeats);
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ConvolutionFloor.Row r : convFloor.rows()) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("convolution", r.signature().describe());
                    x.put("calls", r.calls());
                    x.put("ms_each", r.millisEach());
                    x.put("ms", r.millis());
                    x.put("gmac_per_s", r.macsPerSecond() / 1e9);
                    rows.add(x);
                }
                f.put("rows", rows);
                m.put("convolution_floor", f);
            }
            if (phases != null) {
                m.put("phases", phases.figures());
            }
            m.put("trace", trace == null ? null : trace.toString());
            printJson(m);
        }
        return 0;
    }

    private void print(ModelDefinition def, int threads, String allocator, double wallMedian, double wallMin,
                       double profiledMedian, double profiledMean, OpProfile p) {
        var out = out();
        out.printf(Locale.ROOT, "%s, %s, batch %d, T %d, %d classes, input %s, %d intra-op thread(s), allocator %s%n",
                def.id(), phase, batch, options.timesteps(), options.classes(), def.input().overriddenBy(options), threads,
                allocator);
        out.printf(Locale.ROOT, "wall ms/iteration        %.2f median, %.2f min (%d iterations after %d warm-up, "
                + "without the profiler)%n", wallMedian, wallMin, iterations, warmup);
        out.printf(Locale.ROOT, "under the profiler       %.2f median, %.2f mean%n", profiledMedian, profiledMean);
        out.printf(Locale.ROOT, "libtorch calls/iteration %s top-level (%s with nested calls)%n",
                count(p.callsPerIteration()), count(p.perIteration(p.events())));
        out.printf(Locale.ROOT, "inside ops/iteration     %.2f ms (profiled; the mean over the profiled iterations)%n",
                p.opsMsPerIteration());
        if (trace != null) {
            out.printf("trace                    %s%n", trace);
        }
        out.println();
        int kw = Arrays.stream(OpProfile.Kind.values()).mapToInt(k -> k.label().length()).max().orElse(10);
        String kindRow = "%-" + kw + "s  %10s  %10s  %6s%n";
        out.printf(kindRow, "top-level calls by kind", "calls/iter", "ms/iter", "share");
        out.println("-".repeat(kw + 32));
        for (OpProfile.KindRow k : p.kinds()) {
            out.printf(Locale.ROOT, kindRow, k.kind().label(), count(p.perIteration(k.calls())),
                    String.format(Locale.ROOT, "%.3f", p.msPerIteration(k.micros())), percent(p.share(k.micros())));
        }
        out.println();
        List<OpProfile.OpRow> rows = p.ops().subList(0, Math.min(top, p.ops().size()));
        int nw = Math.max(28, rows.stream().mapToInt(o -> o.name().length()).max().orElse(0));
        String opRow = "%-" + nw + "s  %10s  %12s  %6s  %s%n";
        out.printf(opRow, "op (top " + rows.size() + " by self time)", "calls/iter", "self ms/iter", "share",
                "most common input shapes");
        out.println("-".repeat(nw + 60));
        for (OpProfile.OpRow o : rows) {
            out.printf(Locale.ROOT, opRow, o.name(), count(p.perIteration(o.calls())),
                    String.format(Locale.ROOT, "%.3f", p.msPerIteration(o.selfMicros())),
                    percent(p.share(o.selfMicros())), o.commonShape());
        }
        out.flush();
    }

    private void printFloor(ConvolutionFloor.Result f, int calls, double wallMedian) {
        var out = out();
        out.println();
        out.printf(Locale.ROOT, "convolution floor        %.2f ms/iteration, %.0f %% of the wall time: %d convolutions (%d "
                        + "distinct), each timed on its own (median of %d)%n", f.millis(), 100 * f.millis() / wallMedian,
                calls, f.rows().size(), floorRepeats);
        List<ConvolutionFloor.Row> rows = f.rows().subList(0, Math.min(top, f.rows().size()));
        int nw = Math.max(24, rows.stream().mapToInt(r -> r.signature().describe().length()).max().orElse(0));
        String row = "%-" + nw + "s  %6s  %9s  %9s  %8s%n";
        out.printf(row, "convolution (top " + rows.size() + ")", "calls", "ms each", "ms", "GMAC/s");
        out.println("-".repeat(nw + 42));
        for (ConvolutionFloor.Row r : rows) {
            out.printf(Locale.ROOT, row, r.signature().describe(), r.calls(), String.format(Locale.ROOT, "%.3f",
                    r.millisEach()), String.format(Locale.ROOT, "%.3f", r.millis()),
                    String.format(Locale.ROOT, "%.1f", r.macsPerSecond() / 1e9));
        }
        out.flush();
    }

    private void printSplit(TrainingPhaseSplit.Result r) {
        var out = out();
        out.println();
        out.printf(Locale.ROOT, "phases (medians of %d steps each; backward with the memory-saving backward off, recompute "
                + "what switching it on adds)%n", r.iterations());
        String row = "%-10s  %9s  %6s  %10s  %8s%n";
        out.printf(row, "phase", "ms", "share", "conv GMAC", "GMAC/s");
        out.println("-".repeat(51));
        double step = r.stepMs();
        splitRow(row, "forward", r.forwardMs(), step, r.forwardMacs());
        splitRow(row, "recompute", r.recomputeMs(), step, r.recomputeMacs());
        splitRow(row, "backward", r.autogradBackwardMs(), step, r.backwardMacs());
        splitRow(row, "update", r.updateMs(), step, -1);
        splitRow(row, "step", step, step, r.macs());
        out.printf(Locale.ROOT, "pace                      %.2f ms per conv GMAC of the whole step%n", r.msPerGmac());
        out.printf(Locale.ROOT, "recorded forward          %.2f ms (the forward with the memory-saving backward off, which "
                + "records everything: what a recompute re-runs)%n", r.autogradForwardMs());
        out.flush();
    }

    private void splitRow(String row, String name, double ms, double step, long macs) {
        out().printf(Locale.ROOT, row, name, String.format(Locale.ROOT, "%.2f", ms), percent(ms / step),
                macs < 0 ? "-" : String.format(Locale.ROOT, "%.3f", macs / 1e9),
                macs <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", macs / 1e9 / (ms / 1e3)));
    }

    /** A count per iteration: whole where it is whole. */
    private static String count(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%d", (long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("revbench-profile-", ".json");
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot create a temporary file for the trace: " + e.getMessage());
        }
    }

    private static double timed(Iteration it) {
        long t0 = System.nanoTime();
        it.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** One iteration of the phase, and what it holds. */
    private interface Iteration extends AutoCloseable {
        void run();

        @Override
        default void close() {}
    }

    private Iteration iteration(ModelOnBatch mb) {
        if (phase.equals("inference")) {
            DeviceSync sync = DeviceSync.of(mb.network().parameters().get(0).array());
            return () -> {
                try (NDArray logits = mb.network().predict(mb.batch().input())) {
                    sync.await(logits); // on a GPU the forward is only queued until its result is read
                }
            };
        }
        TimedTrainingStep step = new TimedTrainingStep(mb.network(), true); // as TrainingStepBenchmark times it
        return new Iteration() {
            @Override
            public void run() {
                step.run(mb.batch());
            }

            @Override
            public void close() {
                step.close();
            }
        };
    }
}
