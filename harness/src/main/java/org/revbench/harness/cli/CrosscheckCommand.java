package org.revbench.harness.cli;

import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.engine.Engines;
import org.revbench.core.memory.MemoryResult;
import org.revbench.core.memory.PeakMemoryProbe;
import org.revbench.core.memory.TrainingStepWorkload;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.train.ModelOnBatch;
import org.revbench.harness.Allocator;
import org.revbench.harness.bench.PyTorchCrosscheck;
import org.revbench.harness.bench.PyTorchTwin;
import org.revbench.harness.bench.Median;
import org.revbench.harness.bench.TimedTrainingStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code revbench crosscheck pytorch}: one model measured side by side with its plain-PyTorch twin
 * ({@link PyTorchTwin}): the training step's median time and the peak memory per image, same batch, T, threads and
 * allocator (docs/architecture.md, Cross-check against PyTorch).
 */
@Command(name = "crosscheck", mixinStandardHelpOptions = true,
        description = "Our measurements beside those of the framework people use.",
        subcommands = {CrosscheckCommand.PyTorch.class})
final class CrosscheckCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** What is measured on each side, and how: {@link PyTorchCrosscheck}. */
    @Command(name = "pytorch", mixinStandardHelpOptions = true,
            description = {"Training-step time and peak memory per image of our model beside its plain-PyTorch twin "
                    + "(harness/src/main/python/pytorch_twin.py), same batch, T, threads and allocator.",
                    "The twin knows only ms-resnet18 for now. Times of a busy machine are load-affected: compare them "
                            + "on a quiet one. Memory: 1 warm-up + 1 measured step on each side, counted by RevBench's "
                            + "allocation counter."})
    static final class PyTorch extends BaseCommand {

        private static final double MIB = 1024.0 * 1024.0;
        private static final int DEFAULT_THREADS = 2;

        @Option(names = "--model", paramLabel = "MODEL", defaultValue = "ms-resnet18",
                description = "The model (default ${DEFAULT-VALUE}; the twin knows only ms-resnet18 for now).")
        String modelId;

        @Option(names = "--classes", paramLabel = "N", defaultValue = "10", description = "Classes (default ${DEFAULT-VALUE}).")
        int classes;

        @Option(names = "--batch", paramLabel = "B", defaultValue = "8", description = "Batch size (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--timesteps", paramLabel = "T", defaultValue = "4", description = "Time steps (default ${DEFAULT-VALUE}).")
        int timesteps;

        @Option(names = "--steps", paramLabel = "S", defaultValue = "10",
                description = "Timed training steps on each side in each round (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
                description = "Rounds of ours then theirs, so that the machine's drift falls on both sides alike "
                        + "(default ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--warmup", paramLabel = "W", defaultValue = "3",
                description = "Untimed training steps first on each side (default ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        protected int run() {
            requireAtLeast("--classes", classes, 2);
            requireAtLeast("--batch", batch, 1);
            requireAtLeast("--timesteps", timesteps, 1);
            requireAtLeast("--steps", steps, 1);
            requireAtLeast("--rounds", rounds, 1);
            requireAtLeast("--warmup", warmup, 0);
            if (!PyTorchTwin.MODELS.contains(modelId)) {
                boolean ours = ModelRegistry.load().ids().contains(modelId);
                throw new CliException(CliException.USAGE, (ours ? "'" + modelId + "' has no PyTorch twin"
                        : "unknown model '" + modelId + "'") + ": the twin knows only "
                        + String.join(", ", PyTorchTwin.MODELS.stream().sorted().toList()) + " for now");
            }
            PyTorchTwin.Located twin = PyTorchTwin.locate();
            if (!twin.available()) {
                throw new CliException(CliException.FAILED, "the PyTorch twin cannot run: " + twin.reason());
            }
            int threads = common.threads != null ? common.threads : DEFAULT_THREADS;
            System.setProperty(THREADS_PROPERTY, Integer.toString(threads)); // before the engine starts, and the probe inherits it
            startEngine();
            if (Engines.intraOpThreads() != threads) {
                Engines.setIntraOpThreads(threads);
            }
            ModelDefinition def = model(modelId);
            String allocator = Allocator.detect();
            var out = out();
            out.printf(Locale.ROOT, "crosscheck pytorch: %s, batch %d, T %d, %d classes, float32, %d intra-op thread(s) and 1"
                    + " inter-op on each side, allocator %s%n", def.id(), batch, timesteps, classes, threads, allocator);
            PyTorchCrosscheck.Result measured;
            try {
                measured = PyTorchCrosscheck.measure(new PyTorchCrosscheck.Settings(def, classes, batch, timesteps, warmup, steps,
                        rounds),
                        allocator, out);
            } catch (PyTorchTwin.TwinException e) { // its failure is one line (exit 1), not an internal error
                throw new CliException(CliException.FAILED, e.getMessage());
            }
            double[] ourTimes = measured.ourTimes();
            double[] theirTimes = measured.theirTimes();
            long ourParams = measured.ourParams();
            MemoryResult ourMemory = measured.ourMemory();
            Map<String, Object> theirs = measured.theirs();
            Map<String, Object> theirMemory = measured.theirMemory();
            String theirMemoryReason = measured.theirMemoryReason();
            double ourMedian = measured.ourMedian();
            double theirMedian = measured.theirMedian();
            Double ourMib = measured.ourMib();
            Double theirMib = measured.theirMib();
            String ourFramework = measured.ourFramework();
            String theirFramework = measured.theirFramework();

            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"", "ours", "theirs", "ours/theirs"});
            rows.add(new String[] {"framework", ourFramework, theirFramework, ""});
            rows.add(new String[] {"language", "Java " + Runtime.version().feature(), "Python " + theirs.get("python_version"), ""});
            rows.add(new String[] {"allocator", allocator, String.valueOf(theirs.get("allocator")), ""});
            rows.add(new String[] {"intra-op threads", Integer.toString(Engines.intraOpThreads()),
                    String.valueOf(theirs.get("threads")), ""});
            rows.add(new String[] {"parameters", String.format(Locale.ROOT, "%,d", ourParams),
                    String.format(Locale.ROOT, "%,d", ((Number) theirs.get("params")).longValue()), ""});
            rows.add(new String[] {"training step, median", ms(ourMedian), ms(theirMedian), ratio(ourMedian, theirMedian)});
            rows.add(new String[] {"  min .. max", ms(min(ourTimes)) + " .. " + ms(max(ourTimes)),
                    ms(min(theirTimes)) + " .. " + ms(max(theirTimes)), ""});
            rows.add(new String[] {"  by round", "", "", Arrays.stream(measured.roundRatios())
                    .mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).collect(java.util.stream.Collectors.joining(" "))});
            rows.add(new String[] {"peak memory per image", ourMib == null ? "n/a" : mib(ourMib),
                    theirMib == null ? "n/a" : mib(theirMib), ourMib == null || theirMib == null ? "" : ratio(ourMib, theirMib)});
            if (ourMib != null && theirMib != null) {
                rows.add(new String[] {"  peak", mib(ourMemory.peakMib()) + " (batch " + batch + ")",
                        mib(((Number) theirMemory.get("peak_bytes")).longValue() / MIB) + " (batch " + batch + ")", ""});
            }
            out.println();
            int[] width = new int[3];
            for (String[] r : rows) {
                for (int c = 0; c < 3; c++) {
                    width[c] = Math.max(width[c], r[c].length());
                }
            }
            String format = "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s%n";
            for (int i = 0; i < rows.size(); i++) {
                out.printf(format, (Object[]) rows.get(i));
                if (i == 0) {
                    out.println("-".repeat(width[0] + width[1] + width[2] + 6 + "ours/theirs".length()));
                }
            }
            if (!ourMemory.available()) {
                out.println("memory (ours): not available: " + ourMemory.reason());
            }
            if (theirMemoryReason != null) {
                out.println("memory (theirs): not available: " + theirMemoryReason);
            }
            out.printf(Locale.ROOT, "times: %d rounds of %d steps on each side, after %d warm-up; on a busy machine they are "
                    + "load-affected%n", rounds, steps, warmup);
            out.flush();

            if (json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", def.id());
                m.put("classes", classes);
                m.put("batch", batch);
                m.put("timesteps", timesteps);
                m.put("dtype", "float32");
                m.put("threads", threads);
                m.put("warmup", warmup);
                m.put("steps", steps);
                m.put("rounds", rounds);
                m.put("memory_warmup", PyTorchCrosscheck.MEMORY_WARMUP);
                m.put("memory_steps", PyTorchCrosscheck.MEMORY_STEPS);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("framework", ourFramework);
                o.put("djl_version", Engines.djlVersion());
                o.put("libtorch_version", Engines.libtorchVersion());
                o.put("allocator", allocator);
                o.put("threads", Engines.intraOpThreads());
                o.put("params", ourParams);
                o.put("step_ms", ourTimes);
                o.put("step_ms_median", ourMedian);
                o.put("memory", ourMemory.available() ? memoryMap(ourMemory.peakBytes(), ourMemory.mibPerImage(),
                        ourMemory.details().get(PeakMemoryProbe.ISA_DETAIL)) : null);
                o.put("memory_reason", ourMemory.available() ? null : ourMemory.reason());
                m.put("ours", o);
                Map<String, Object> t = new LinkedHashMap<>(theirs);
                t.put("step_ms", theirTimes); // every round's, as ours
                t.put("step_ms_median", theirMedian);
                t.remove("memory");
                t.remove("memory_reason");
                t.put("framework", theirFramework);
                t.put("python", measured.python());
                t.put("memory", theirMemory == null ? null : memoryMap(((Number) theirMemory.get("peak_bytes")).longValue(),
                        theirMib, measured.theirIsa()));
                t.put("memory_reason", theirMemoryReason);
                m.put("theirs", t);
                m.put("time_ratio", ourMedian / theirMedian);
                m.put("round_time_ratios", measured.roundRatios());
                m.put("memory_ratio", ourMib == null || theirMib == null ? null : ourMib / theirMib);
                printJson(m);
            }
            return 0;
        }

        private static Map<String, Object> memoryMap(long peakBytes, double mibPerImage, Object isa) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("peak_bytes", peakBytes);
            m.put("mib_per_image", mibPerImage);
            m.put(PeakMemoryProbe.ISA_DETAIL, isa);
            return m;
        }

        private static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

        private static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }

        private static String ms(double v) { return String.format(Locale.ROOT, "%.1f ms", v); }

        private static String mib(double v) { return String.format(Locale.ROOT, "%.3f MiB", v); }

        private static String ratio(double a, double b) { return String.format(Locale.ROOT, "%.2f", a / b); }
    }
}
