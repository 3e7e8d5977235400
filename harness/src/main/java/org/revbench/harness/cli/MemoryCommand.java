package org.revbench.harness.cli;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.memory.MemoryResult;
import org.revbench.core.memory.PeakMemoryProbe;
import org.revbench.core.memory.TrainingStepWorkload;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code revbench memory MODEL --batch B --timesteps T}: the peak memory of one training step (forward, loss,
 * backward, SGD update), measured by the peak-memory probe in a forked JVM. Each repeat is its own process.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = {"Peak training memory of one training step (forward, backward, SGD update), measured in a "
                + "forked JVM that counts libtorch's tensor allocations.",
                "Each repeat is a separate process; MiB = 1024^2 bytes; peak bytes = the largest over repeats."})
final class MemoryCommand extends BaseCommand {

    private static final double MIB = 1024.0 * 1024.0;

    @Mixin
    ModelArgument model;

    @Mixin
    DeviceOption deviceOption;

    @Option(names = "--batch", required = true, paramLabel = "B", description = "Batch size.")
    int batch;

    @Option(names = "--timesteps", required = true, paramLabel = "T", description = "Time steps.")
    int timesteps;

    @Mixin
    ClassesOption classes;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "1",
            description = "Separate measurements (processes), default ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "1",
            description = "Unmeasured training steps before measuring, default ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--steps", paramLabel = "M", defaultValue = "1",
            description = "Measured training steps per repeat (the peak is the largest), default ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--plain", description = "Memory-saving backward off (plain autograd through reversible parts).")
    boolean plain;

    private ModelOptions options;

    @Override
    protected Long seed() { return options == null ? null : options.seed(); }

    @Override
    protected int run() {
        requireAtLeast("--batch", batch, 1);
        requireAtLeast("--timesteps", timesteps, 1);
        requireAtLeast("--repeats", repeats, 1);
        requireAtLeast("--warmup", warmup, 0);
        requireAtLeast("--steps", steps, 1);
        ModelDefinition def = model.definition();
        options = classes.applyTo(this, def.defaults().withTimesteps(timesteps));
        boolean saving = !plain;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", def.id());
        m.put("classes", options.classes());
        m.put("batch", batch);
        m.put("timesteps", timesteps);
        m.put("memory_saving", saving);
        m.put("repeats", repeats);
        m.put("warmup", warmup);
        m.put("measured_steps", steps);

        out().printf("%s: batch %d, T %d, %d classes, memory-saving %s; %d repeat(s) of %d warm-up + %d measured "
                + "step(s)%n", def.id(), batch, timesteps, options.classes(), saving ? "on" : "off", repeats, warmup,
                steps);
        out().flush();
        Device device = device(deviceOption);
        PeakMemoryProbe probe = new PeakMemoryProbe(PeakMemoryProbe.Options.builder().device(device).build());
        List<MemoryResult> results = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            long t0 = System.nanoTime();
            MemoryResult res = probe.measure(TrainingStepWorkload.class, warmup, steps,
                    TrainingStepWorkload.args(def.id(), batch, timesteps, options.classes(), saving, device));
            if (!res.available()) {
                m.put("available", false);
                m.put("reason", res.reason());
                throw new CliException(CliException.FAILED,
                        "peak memory cannot be measured on this machine: " + res.reason(), m, null);
            }
            results.add(res);
            out().printf(Locale.ROOT, "repeat %d/%d: peak %,d bytes (%.2f MiB), %.3f MiB/image  [%.1f s]%n", r,
                    repeats, res.peakBytes(), res.peakMib(), res.mibPerImage(), (System.nanoTime() - t0) / 1e9);
            out().flush();
        }

        List<Long> peaks = results.stream().map(MemoryResult::peakBytes).toList();
        long max = peaks.stream().mapToLong(Long::longValue).max().orElseThrow();
        long min = peaks.stream().mapToLong(Long::longValue).min().orElseThrow();
        double mean = peaks.stream().mapToLong(Long::longValue).average().orElseThrow();
        double spread = (max - min) / mean;
        double mibPerImage = max / (double) batch / MIB;

        out().printf(Locale.ROOT, "peak bytes     %,d (%.2f MiB)%n", max, max / MIB);
        out().printf(Locale.ROOT, "MiB per image  %.3f%n", mibPerImage);
        if (repeats > 1) {
            out().printf(Locale.ROOT, "spread         %.4f %% ((max - min) / mean over %d repeats)%n", spread * 100,
                    repeats);
        }
        out().flush();

        m.put("available", true);
        m.put("peak_bytes", max);
        m.put("peak_mib", max / MIB);
        m.put("mib_per_image", mibPerImage);
        m.put("peak_bytes_repeats", peaks);
        m.put("mib_per_image_repeats", results.stream().map(MemoryResult::mibPerImage).toList());
        m.put("spread", spread);
        MemoryResult first = results.get(0);
        m.put("per_step_peaks", results.stream().map(MemoryResult::perStepPeaks).toList());
        m.put("live_bytes_before", first.liveBytesBefore());
        m.put("details", first.details());
        if (json()) {
            printJson(m);
        }
        return 0;
    }
}
