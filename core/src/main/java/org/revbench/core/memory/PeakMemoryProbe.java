package org.revbench.core.memory;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Measures the peak training memory of a {@link MemoryWorkload}: on the CPU, libtorch's host tensors; on a CUDA device
 * ({@link Options.Builder#device}), the device memory libtorch allocates, what {@code torch.cuda.max_memory_allocated}
 * reports (docs/gpu.md).
 *
 * <p>The workload runs in a fresh JVM ({@link MemoryProbeMain}) started with
 * {@code LD_PRELOAD=librevbench_alloc.so}, which counts libtorch's tensor storage
 * (aligned allocations). A fork is unavoidable: the preload must be in place when the
 * process starts, and a separate process also keeps the measurement free of whatever
 * the calling JVM has allocated. Peaks of the same workload in separate processes agree
 * to about 0.001 %, so one measurement per configuration is enough.
 *
 * <p>Where the probe cannot measure (not Linux, library not built because gcc was missing,
 * preload not effective in the child) {@link #measure} returns
 * {@link MemoryResult#notAvailable(String)}; where the workload itself fails it throws
 * {@link MemoryProbeException}.
 */
public final class PeakMemoryProbe {

    /** System property naming the counter library explicitly. */
    public static final String LIBRARY_PROPERTY = "revbench.alloc.lib";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    static final String LIBRARY_NAME = "librevbench_alloc.so";
    /** The counter of CUDA device allocations (src/main/c/cuda_alloc_counter.c), preloaded for a GPU workload. */
    static final String CUDA_LIBRARY_NAME = "librevbench_cuda_alloc.so";
    /**
     * What switches libtorch's CUDA caching allocator off: every tensor storage is then one {@code cudaMalloc} and
     * one {@code cudaFree}, so the counted live bytes are the bytes allocated to tensors, whose peak is what
     * {@code torch.cuda.max_memory_allocated} reports with the cache on.
     */
    public static final String NO_CUDA_CACHING_ENV = "PYTORCH_NO_CUDA_MEMORY_CACHING";
    /** The result detail that says what was counted: {@code host} or {@code cuda}. */
    public static final String COUNTER_DETAIL = "counter";
    /** Prefixes of the caller's system properties that the child inherits (DJL and our settings). */
    /** The environment variable that caps the instruction set of oneDNN, libtorch's CPU convolution library. */
    public static final String ONEDNN_ISA_ENV = "ONEDNN_MAX_CPU_ISA";
    /**
     * The cap the probe sets on x86-64 (where the caller's environment sets none). oneDNN picks convolution
     * algorithms, weight layouts and workspaces by instruction set, so the peak of one training step depends on the
     * CPU: VGG-19 with LIF nodes at T 4, batch 16 peaks at 20.893 MiB/img with AVX-512 (on an Intel Xeon and an AMD
     * EPYC alike) and at 24.362 with AVX2 (on an AVX2-only EPYC, and on an AVX-512 machine capped at AVX2); ATen's own
     * kernels ({@code ATEN_CPU_CAPABILITY}) do not move it. AVX2 is what every x86-64 machine this project runs on
     * has, so with the cap a peak is the same number on all of them.
     */
    public static final String PINNED_ISA = "AVX2";
    /** The result detail that says which cap the measuring process ran under ("native" without one). */
    public static final String ISA_DETAIL = "onednn_max_cpu_isa";

    private static final List<String> INHERITED_PROPERTY_PREFIXES = List.of("ai.djl.", "DJL_", "revbench.");
    private static final int TAIL_LINES = 40;

    private final Options options;

    public PeakMemoryProbe() {
        this(Options.defaults());
    }

    public PeakMemoryProbe(Options options) {
        this.options = Objects.requireNonNull(options);
    }

    public MemoryResult measure(Class<? extends MemoryWorkload> workload, int warmup, int measured, String... args) {
        return measure(workload, warmup, measured, Arrays.asList(args));
    }

    /**
     * Runs {@code warmup} unmeasured and {@code measured} measured steps of the workload in a
     * forked JVM and returns the peak over the measured steps.
     *
     * @throws MemoryProbeException when the child fails, crashes or times out
     */
    public MemoryResult measure(Class<? extends MemoryWorkload> workload, int warmup, int measured, List<String> args) {
        if (warmup < 0 || measured < 1) {
            throw new IllegalArgumentException("need warmup >= 0 and measured >= 1");
        }
        boolean cuda = options.device.isGpu();
        LibraryLookup lib = locateLibrary(options.library, cuda ? CUDA_LIBRARY_NAME : LIBRARY_NAME);
        if (lib.path() == null) {
            return MemoryResult.notAvailable(lib.reason());
        }
        List<String> command = command(workload, warmup, measured, args, cuda);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.putIfAbsent("DJL_OFFLINE", "true");
        String isa = counted(env, lib.path(), options.environment);
        if (cuda) {
            env.put(NO_CUDA_CACHING_ENV, "1");
        }
        MemoryResult r = withDetail(run(pb, String.join(" ", command)), ISA_DETAIL, isa);
        return withDetail(r, COUNTER_DETAIL, cuda ? "cuda" : "host");
    }

    /**
     * Makes {@code env} (a child process's environment, e.g. {@link ProcessBuilder#environment()}) the one a measuring
     * child runs with: the oneDNN instruction-set cap on x86-64 (unless {@code env} sets one), then {@code extra}, then
     * the counter {@code library} preloaded first, before whatever the environment preloads already (another malloc
     * then sits behind the counter's hooks). Returns the cap in force ("native" without one). The probe's own JVM and
     * any other process measured alongside it (the PyTorch twin of {@code revbench crosscheck pytorch}) use this one
     * recipe, so that their peaks count the same allocations under the same cap.
     */
    public static String counted(Map<String, String> env, Path library, Map<String, String> extra) {
        String arch = System.getProperty("os.arch", "");
        if ((arch.equals("amd64") || arch.equals("x86_64")) && !env.containsKey(ONEDNN_ISA_ENV)) {
            env.put(ONEDNN_ISA_ENV, PINNED_ISA);
        }
        env.putAll(extra);
        // Ours first: whatever else is preloaded (e.g. another malloc) then sits behind our hooks.
        String lp = library.toString();
        String existing = env.get("LD_PRELOAD");
        env.put("LD_PRELOAD", existing == null || existing.isBlank() || existing.contains(lp) ? lp : lp + ":" + existing);
        return env.getOrDefault(ONEDNN_ISA_ENV, "native");
    }

    /**
     * The counter library the probe preloads, found as {@link #measure} finds it (the property
     * {@value #LIBRARY_PROPERTY}, then beside core's classes), or the reason there is none: for a process other than the
     * probe's JVM that is measured the same way.
     */
    public static LibraryLookup counterLibrary() {
        return locateLibrary(null, LIBRARY_NAME);
    }

    private static MemoryResult withDetail(MemoryResult r, String key, Object value) {
        if (!r.available()) {
            return r;
        }
        Map<String, Object> d = new LinkedHashMap<>(r.details());
        d.put(key, value);
        return new MemoryResult(r.available(), r.reason(), r.workload(), r.peakBytes(), r.perStepPeaks(),
                r.liveBytesBefore(), r.liveBytesAfter(), r.batch(), r.trackedAllocations(), d);
    }

    private List<String> command(Class<? extends MemoryWorkload> workload, int warmup, int measured, List<String> args,
                                 boolean cuda) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Under surefire this may be a manifest-only booter jar; as -cp it works the same.
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Djava.awt.headless=true");
        // Deep networks may need the caller's larger thread stacks.
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xss")) {
                cmd.add(a);
            }
        }
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> INHERITED_PROPERTY_PREFIXES.stream().anyMatch(k::startsWith))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        // a crash report goes where it can be found and read back, not into whatever directory the caller runs in
        cmd.add("-XX:ErrorFile=" + crashDirectory().resolve("hs_err_pid%p.log"));
        cmd.add("-D" + AllocationCounter.COUNTER_PROPERTY + "=" + (cuda ? "cuda" : "host"));
        cmd.addAll(options.jvmArgs); // after the inherited ones, so they win
        cmd.add(MemoryProbeMain.class.getName());
        cmd.add(workload.getName());
        cmd.add(Integer.toString(warmup));
        cmd.add(Integer.toString(measured));
        cmd.addAll(args);
        return cmd;
    }

    private MemoryResult run(ProcessBuilder pb, String commandLine) {
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new MemoryProbeException("cannot start the probe JVM (" + e.getMessage() + ")", null, List.of(), -1);
        }
        // Both pipes are drained on their own threads: a child blocked on a full
        // stderr pipe would otherwise never finish writing its stdout.
        ProtocolReader stdout = new ProtocolReader(process.getInputStream());
        ProtocolReader stderr = new ProtocolReader(process.getErrorStream());
        Thread outThread = start(stdout, "memory-probe-stdout");
        Thread errThread = start(stderr, "memory-probe-stderr");
        int exit;
        try {
            if (!process.waitFor(options.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                join(outThread, errThread);
                throw new MemoryProbeException("probe timed out after " + options.timeout, stdout.error(),
                        stderr.tail(), -1);
            }
            exit = process.exitValue();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new MemoryProbeException("interrupted while waiting for the probe", null, stderr.tail(), -1);
        }
        join(outThread, errThread);

        if (stdout.unavailable() != null) {
            // Typically the dynamic linker refused the preload; its message is on stderr.
            String ld = stderr.tail().stream().filter(l -> l.contains("LD_PRELOAD")).findFirst().orElse(null);
            return MemoryResult.notAvailable(stdout.unavailable() + (ld == null ? "" : " [" + ld.trim() + "]"));
        }
        if (exit == 0 && stdout.result() != null) {
            return parse(stdout.result());
        }
        String what = stdout.error() != null ? "probe failed"
                : exit == 128 + 9 ? "probe JVM was killed (signal 9) without a result: most likely the kernel's"
                        + " out-of-memory killer, i.e. this training step needs more memory than the machine has free;"
                        + " measure at a smaller batch"
                : exit > 128 ? crashed(process.pid(), exit - 128)
                : "probe JVM exited with status " + exit + " without a result";
        throw new MemoryProbeException(what + " (command: " + abbreviate(commandLine) + ")", stdout.error(),
                stderr.tail(), exit);
    }

    /** Where probe JVMs write their crash reports: a folder of the system's temporary directory. */
    public static Path crashDirectory() {
        Path d = Path.of(System.getProperty("java.io.tmpdir"), "revbench-probe-crashes");
        try {
            java.nio.file.Files.createDirectories(d);
        } catch (IOException e) {
            // the JVM then writes no report; the message says the signal all the same
        }
        return d;
    }

    /**
     * What a probe that died from {@code signal} says of itself: from its crash report, the signal and the native
     * frame it died in, so that a crash inside libtorch is one line that names where, not only a signal number.
     */
    static String crashed(long pid, int signal) {
        Path report = crashDirectory().resolve("hs_err_pid" + pid + ".log");
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(report, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "probe JVM died from signal " + signal + " without a result";
        }
        String what = "signal " + signal;
        String frame = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("#  SIG")) {
                what = l.substring(3).split(" ")[0];
            } else if (l.equals("# Problematic frame:") && i + 1 < lines.size()) {
                frame = lines.get(i + 1).replaceFirst("^#\\s*[A-Za-z]\\s+", "").strip();
            }
        }
        String hint = frame != null && frame.contains("dnnl::") && !java.nio.file.Files.isDirectory(
                Path.of("/sys/devices/system/cpu/cpu0/cache"))
                ? "; inside oneDNN (libtorch's CPU kernels), on a machine whose CPU reports no cache sizes (no"
                        + " /sys/devices/system/cpu/cpu0/cache), which oneDNN's kernel planning reads" : "";
        return "probe JVM crashed: " + what + (frame == null ? "" : " in " + frame) + hint + " (crash report: "
                + report + ")";
    }

    private static MemoryResult parse(String json) {
        // LONG_OR_DOUBLE keeps byte counts exact (Gson's default would make them doubles).
        Gson gson = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();
        Map<String, Object> m = gson.fromJson(json, new TypeToken<Map<String, Object>>() {}.getType());
        List<Long> peaks = new ArrayList<>();
        for (Object o : (List<?>) m.get("per_step_peaks")) {
            peaks.add(((Number) o).longValue());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> details = m.get("details") instanceof Map<?, ?> d
                ? new LinkedHashMap<>((Map<String, Object>) d) : Map.of();
        return new MemoryResult(true, null, (String) m.get("workload"), num(m, "peak_bytes"), peaks,
                num(m, "live_bytes_before"), num(m, "live_bytes_after"), (int) num(m, "batch"),
                num(m, "tracked_allocations"), details);
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new MemoryProbeException("probe result lacks " + key, null, List.of(), 0);
        }
        return n.longValue();
    }

    // ---------------------------------------------------------------- library lookup

    /** Either a usable library path, or the reason there is none. */
    public record LibraryLookup(Path path, String reason) {}

    /**
     * Finds the counter library: an explicit path (options), then the system property
     * {@value #LIBRARY_PROPERTY}, then {@code native/librevbench_alloc.so} beside core's
     * classes (a directory in a build tree, or a resource extracted from core's jar).
     * An explicit location that does not exist is reported, not silently replaced.
     */
    static LibraryLookup locateLibrary(Path explicit, String name) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new LibraryLookup(null, "peak-memory probe needs Linux (LD_PRELOAD); this is "
                    + System.getProperty("os.name"));
        }
        if (explicit != null) {
            return existing(explicit, "the configured library");
        }
        String prop = System.getProperty(LIBRARY_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return existing(Path.of(prop), "-D" + LIBRARY_PROPERTY);
        }
        CodeSource cs = PeakMemoryProbe.class.getProtectionDomain().getCodeSource();
        Path location = null;
        try {
            location = cs == null || cs.getLocation() == null ? null : Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not a file location: fall through to the classpath resource
        }
        if (location != null && Files.isDirectory(location)) {
            Path lib = location.resolve("native").resolve(name);
            if (Files.isRegularFile(lib)) {
                return new LibraryLookup(lib, null);
            }
        }
        try {
            Path extracted = extractResource(name);
            if (extracted != null) {
                return new LibraryLookup(extracted, null);
            }
        } catch (IOException e) {
            return new LibraryLookup(null, "cannot extract /native/" + name + ": " + e.getMessage());
        }
        return new LibraryLookup(null, name + " not found beside core's classes (" + location
                + "); it is built by gcc during core's compile phase: was gcc available?");
    }

    private static LibraryLookup existing(Path p, String what) {
        return Files.isRegularFile(p) ? new LibraryLookup(p.toAbsolutePath(), null)
                : new LibraryLookup(null, what + " " + p + " does not exist");
    }

    /**
     * Copies the library out of core's jar into a content-addressed cache file (the dynamic
     * linker needs a real file). The name contains the hash, so a stale copy is never reused,
     * and the copy is made atomically, so concurrent probes never see half a file.
     */
    private static Path extractResource(String name) throws IOException {
        byte[] bytes;
        try (InputStream in = PeakMemoryProbe.class.getResourceAsStream("/native/" + name)) {
            if (in == null) {
                return null;
            }
            bytes = in.readAllBytes();
        }
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"),
                "revbench-native-" + System.getProperty("user.name", "user"), hash);
        Path target = dir.resolve(name);
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
            return target;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "lib", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    // ---------------------------------------------------------------- child process plumbing

    /** Drains one pipe, keeping the protocol lines and the last lines of output. */
    private static final class ProtocolReader implements Runnable {
        private final InputStream in;
        private final Deque<String> tail = new ArrayDeque<>();
        private String result, error, unavailable;

        ProtocolReader(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    accept(line);
                }
            } catch (IOException e) {
                accept("[probe output unreadable: " + e.getMessage() + "]");
            }
        }

        private synchronized void accept(String line) {
            // indexOf, not startsWith: native code may have left an unterminated line before it.
            int at;
            if ((at = line.indexOf(MemoryProbeMain.ERROR_PREFIX)) >= 0) {
                error = line.substring(at + MemoryProbeMain.ERROR_PREFIX.length());
            } else if ((at = line.indexOf(MemoryProbeMain.UNAVAILABLE_PREFIX)) >= 0) {
                unavailable = line.substring(at + MemoryProbeMain.UNAVAILABLE_PREFIX.length());
            } else if ((at = line.indexOf(MemoryProbeMain.RESULT_PREFIX)) >= 0) {
                result = line.substring(at + MemoryProbeMain.RESULT_PREFIX.length());
            } else {
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        }

        synchronized String result() {
            return result;
        }

        synchronized String error() {
            return error;
        }

        synchronized String unavailable() {
            return unavailable;
        }

        synchronized List<String> tail() {
            return List.copyOf(tail);
        }
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread... threads) {
        for (Thread t : threads) {
            try {
                // Bounded: a grandchild that inherited the pipes could keep them open forever.
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 200) + " ... " + s.substring(s.length() - 200);
    }

    // ---------------------------------------------------------------- options

    /** Settings of the forked JVM. Immutable; build with {@link #builder()}. */
    public static final class Options {
        private final List<String> jvmArgs;
        private final Map<String, String> environment;
        private final Duration timeout;
        private final Path library;
        private final Device device;

        private Options(Builder b) {
            this.device = b.device;
            this.jvmArgs = List.copyOf(b.jvmArgs);
            this.environment = Map.copyOf(b.environment);
            this.timeout = b.timeout;
            this.library = b.library;
        }

        public static Options defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        public List<String> jvmArgs() {
            return jvmArgs;
        }

        public Map<String, String> environment() {
            return environment;
        }

        public Duration timeout() {
            return timeout;
        }

        /** Explicit library path, or null to search (property, then beside core's classes). */
        public Path library() {
            return library;
        }

        /** The device whose memory is counted: the CPU's host tensors, or a GPU's device allocations. */
        public Device device() {
            return device;
        }

        public static final class Builder {
            private final List<String> jvmArgs = new ArrayList<>();
            private final Map<String, String> environment = new LinkedHashMap<>();
            private Duration timeout = DEFAULT_TIMEOUT;
            private Path library;
            private Device device = Device.cpu();

            private Builder() {}

            /**
             * Counts the allocations of {@code device}: a GPU's through {@code librevbench_cuda_alloc.so} with libtorch's
             * CUDA caching allocator off; the workload must compute on the same device.
             */
            public Builder device(Device device) {
                this.device = Objects.requireNonNull(device);
                return this;
            }

            /**
             * An extra JVM argument, e.g. {@code -Xmx4g}, or libtorch's thread count:
             * {@code -D}{@link org.revbench.core.engine.Engines#THREADS_PROPERTY}{@code =2}.
             */
            public Builder jvmArg(String arg) {
                jvmArgs.add(Objects.requireNonNull(arg));
                return this;
            }

            public Builder jvmArgs(List<String> args) {
                args.forEach(this::jvmArg);
                return this;
            }

            /** An extra environment variable of the child (LD_PRELOAD is always set by the probe). */
            public Builder env(String name, String value) {
                environment.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
                return this;
            }

            public Builder timeout(Duration t) {
                if (t.isNegative() || t.isZero()) {
                    throw new IllegalArgumentException("timeout must be positive");
                }
                timeout = t;
                return this;
            }

            /** Use this library instead of searching; a missing file makes results not available. */
            public Builder library(Path path) {
                library = path;
                return this;
            }

            public Options build() {
                return new Options(this);
            }
        }
    }
}
