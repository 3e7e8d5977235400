package org.revbench.harness.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.engine.Engines;
import org.revbench.core.memory.MemoryResult;
import org.revbench.core.memory.PeakMemoryProbe;
import org.revbench.core.memory.TrainingStepWorkload;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.train.ModelOnBatch;

/**
 * One model measured side by side with its plain-PyTorch twin ({@link PyTorchTwin}), same batch, T, classes, threads
 * and allocator: the training step's times and the peak memory per image on each side. What {@code revbench
 * crosscheck pytorch} prints and the {@code crosscheck} protocol stores.
 *
 * <p>Ours: the training step of {@code TrainingStepBenchmark} ({@link TimedTrainingStep}: the model in float32 on its
 * fixed synthetic batch, forward, cross-entropy read on the host, backward, SGD with momentum 0.9 and weight decay
 * 1e-4, memory-saving backward on), timed step by step in this JVM after the warm-up steps; and the memory probe's
 * peak per image ({@link PeakMemoryProbe}, {@link TrainingStepWorkload}, a forked JVM). Theirs: the twin as a
 * subprocess with this process's environment (so the same preloaded allocator) for the times, and again with the
 * allocation counter preloaded the way the probe preloads it for the memory.
 */
public final class PyTorchCrosscheck {

    /** The memory probe's steps on each side: one warm-up, one measured. */
    public static final int MEMORY_WARMUP = 1;
    public static final int MEMORY_STEPS = 1;
    /** TrainingStepBenchmark's batch seed ({@code ModelBenchmark}). */
    private static final long BATCH_SEED = 7;
    /** Where both sides compute: the twin is plain PyTorch on the CPU, so ours is measured there too. */
    private static final ai.djl.Device CPU = ai.djl.Device.cpu();
    private static final Duration TWIN_TIMEOUT = Duration.ofMinutes(30);

    /**
     * What is measured: the model at these settings, {@code warmup} untimed then, in each of {@code rounds} rounds,
     * {@code steps} timed steps on our side and then as many on PyTorch's (a run of its own with its warm-up).
     */
    public record Settings(ModelDefinition model, int classes, int batch, int timesteps, int warmup, int steps, int rounds) {
        ModelOptions options() {
            return model.defaults().withClasses(classes).withTimesteps(timesteps)
                    .withDtype(ai.djl.ndarray.types.DataType.FLOAT32);
        }

        List<String> twinArgs(int threads, int warm, int measured) {
            return new ArrayList<>(List.of("--model", model.id(), "--classes", Integer.toString(classes), "--batch",
                    Integer.toString(batch), "--timesteps", Integer.toString(timesteps), "--threads",
                    Integer.toString(threads), "--warmup", Integer.toString(warm), "--steps", Integer.toString(measured)));
        }
    }

    /**
     * Both sides' numbers.
     *
     * @param ourTimes        our timed steps, ms, every round's in order
     * @param theirTimes      the twin's timed steps, ms, every round's in order
     * @param roundRatios     per round, the median of our steps over the median of the twin's
     * @param ourMemory       our probe's result (possibly not available, with why)
     * @param theirs          the twin's first timing run as it printed it ({@code step_ms}, {@code step_ms_median},
     *                        {@code params}, {@code torch_version}, {@code python_version}, {@code allocator},
     *                        {@code threads} ...)
     * @param theirMemory     the twin's memory ({@code peak_bytes}, {@code mib_per_image}), or null
     * @param theirMemoryReason why there is no twin memory, or null
     * @param theirIsa        the instruction set the counter ran the twin's libtorch at, or null
     * @param python          the interpreter that ran the twin
     */
    public record Result(Settings settings, int threads, String allocator, double[] ourTimes, double[] theirTimes,
                         double[] roundRatios, long ourParams, MemoryResult ourMemory, Map<String, Object> theirs,
                         Map<String, Object> theirMemory, String theirMemoryReason, String theirIsa, String python) {

        public double ourMedian() { return Median.of(ourTimes); }

        public double theirMedian() { return Median.of(theirTimes); }

        public long theirParams() { return ((Number) theirs.get("params")).longValue(); }

        public Double ourMib() { return ourMemory.available() ? ourMemory.mibPerImage() : null; }

        public Double theirMib() {
            return theirMemory == null ? null : ((Number) theirMemory.get("mib_per_image")).doubleValue();
        }

        public String ourFramework() { return "DJL " + Engines.djlVersion() + ", libtorch " + Engines.libtorchVersion(); }

        public String theirFramework() {
            return "PyTorch " + theirs.get("torch_version")
                    + (theirs.get("torch_package") == null ? "" : " (" + theirs.get("torch_package") + ")");
        }
    }

    private PyTorchCrosscheck() {}

    /**
     * Measures both sides at the engine's current intra-op threads (the twin gets the same count). {@code progress}
     * gets one line per stage. Throws {@link PyTorchTwin.TwinException} when the twin cannot run or fails.
     */
    public static Result measure(Settings s, String allocator, PrintWriter progress) {
        if (s.rounds() < 1 || s.steps() < 1 || s.warmup() < 0) {
            throw new IllegalArgumentException("rounds " + s.rounds() + ", steps " + s.steps() + ", warm-up " + s.warmup());
        }
        if (!PyTorchTwin.MODELS.contains(s.model().id())) {
            throw new PyTorchTwin.TwinException("'" + s.model().id() + "' has no PyTorch twin: the twin knows only "
                    + String.join(", ", PyTorchTwin.MODELS.stream().sorted().toList()) + " for now");
        }
        PyTorchTwin.Located twin = PyTorchTwin.locate();
        if (!twin.available()) {
            throw new PyTorchTwin.TwinException("the PyTorch twin cannot run: " + twin.reason());
        }
        int threads = Engines.intraOpThreads();
        // the two sides alternate, round by round, so that the machine's drift over the minutes of a run (10-30 % on a
        // shared virtual machine) falls on both alike
        long[] params = new long[1];
        double[] ourTimes = new double[s.rounds() * s.steps()];
        double[] theirTimes = new double[s.rounds() * s.steps()];
        double[] roundRatios = new double[s.rounds()];
        Map<String, Object> theirs = null;
        // on the CPU by definition: the twin is plain PyTorch on the CPU, at the same threads and allocator
        try (ModelOnBatch mb = ModelOnBatch.open(s.model(), s.options(), s.batch(), BATCH_SEED, CPU);
             TimedTrainingStep step = new TimedTrainingStep(mb.network(), true)) {
            params[0] = mb.network().trainableParameters();
            for (int i = 0; i < s.warmup(); i++) {
                step.run(mb.batch());
            }
            for (int r = 0; r < s.rounds(); r++) {
                progress.printf(Locale.ROOT, "round %d of %d: ours %d timed training steps in this JVM%s, theirs %d warm-up"
                                + " + %d in %s %s ...%n", r + 1, s.rounds(), s.steps(), r == 0 ? " after " + s.warmup()
                                + " warm-up" : "", s.warmup(), s.steps(), twin.python(), twin.script().getFileName());
                progress.flush();
                double[] ours = new double[s.steps()];
                for (int i = 0; i < s.steps(); i++) {
                    long t0 = System.nanoTime();
                    step.run(mb.batch());
                    ours[i] = (System.nanoTime() - t0) / 1e6;
                }
                Map<String, Object> run = PyTorchTwin.run(s.twinArgs(threads, s.warmup(), s.steps()), null, TWIN_TIMEOUT);
                double[] their = ((List<?>) run.get("step_ms")).stream().mapToDouble(v -> ((Number) v).doubleValue())
                        .toArray();
                if (their.length != s.steps()) {
                    throw new PyTorchTwin.TwinException("the PyTorch twin timed " + their.length + " steps, not " + s.steps());
                }
                theirs = theirs == null ? run : theirs;
                System.arraycopy(ours, 0, ourTimes, r * s.steps(), s.steps());
                System.arraycopy(their, 0, theirTimes, r * s.steps(), s.steps());
                roundRatios[r] = Median.of(ours) / Median.of(their);
            }
        }

        progress.printf(Locale.ROOT, "memory: %d warm-up + %d measured step(s) on each side, counted by librevbench_alloc"
                + " ...%n", MEMORY_WARMUP, MEMORY_STEPS);
        progress.flush();
        PeakMemoryProbe.LibraryLookup lib = PeakMemoryProbe.counterLibrary();
        MemoryResult ourMemory = lib.path() == null ? MemoryResult.notAvailable(lib.reason())
                : new PeakMemoryProbe().measure(TrainingStepWorkload.class, MEMORY_WARMUP, MEMORY_STEPS,
                        TrainingStepWorkload.args(s.model().id(), s.batch(), s.timesteps(), s.classes(), true, CPU));
        Map<String, Object> theirMemory = null;
        String theirMemoryReason = lib.reason();
        String[] theirIsa = {null};
        if (lib.path() != null) {
            Map<String, Object> m = PyTorchTwin.run(s.twinArgs(threads, MEMORY_WARMUP, MEMORY_STEPS),
                    env -> theirIsa[0] = PeakMemoryProbe.counted(env, lib.path(), Map.of()), TWIN_TIMEOUT);
            theirMemory = asMap(m.get("memory"));
            theirMemoryReason = theirMemory == null ? String.valueOf(m.get("memory_reason")) : null;
        }
        return new Result(s, threads, allocator, ourTimes, theirTimes, roundRatios, params[0], ourMemory, theirs,
                theirMemory, theirMemoryReason, theirIsa[0], twin.python());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : null;
    }
}
