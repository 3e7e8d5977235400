package org.revbench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ai.djl.Device;
import org.revbench.core.engine.Devices;
import org.revbench.core.engine.Engines;

/**
 * Where a number came from: the code (git commit and whether the work tree had changes), the software stack
 * (JDK, DJL, libtorch, memory allocator), the machine (OS, CPU model, core count, intra-op threads) and the seed.
 * Every JSON object the command line prints carries one under {@code "provenance"}; later protocols attach the same.
 *
 * <p>Nothing here fails: what cannot be found is reported as {@code "unknown"} (git missing, not a checkout,
 * no {@code /proc/cpuinfo}, engine not startable).
 *
 * @param gitCommit       {@code git rev-parse HEAD} of the checkout, or "unknown"
 * @param gitDirty        whether {@code git status --porcelain} lists anything (modified, staged or untracked
 *                        files that are not ignored); null when unknown
 * @param treeState       what the work tree held beyond the commit: {@value #CLEAN}, a hash of the uncommitted
 *                        changes (the diff against HEAD and every untracked file that is not ignored), or
 *                        {@value #UNKNOWN} where that cannot be told (no git, or a record from before it was kept)
 * @param jdk             Java version and vendor
 * @param jvm             VM name and version
 * @param djlVersion      DJL version
 * @param libtorchVersion libtorch version the engine loaded
 * @param os              OS name, version and architecture
 * @param cpuModel        the CPU's model name from /proc/cpuinfo
 * @param machineClass    the CPU's vendor and widest vector instruction set ({@link MachineClass}): what decides
 *                        which kernels libtorch's oneDNN picks, and so what a memory or time figure is comparable with
 * @param allocator       the memory allocator the measuring process ran with ({@link Allocator}), e.g.
 *                        {@code tcmalloc (libtcmalloc_minimal.so.4.5.10)} or {@code glibc 2.36}: allocation behaviour
 *                        changes timings (glibc's arenas hand large tensors freshly faulted pages; a preloaded
 *                        tcmalloc halves some models' times), not the memory probe's counts, which count requested
 *                        bytes; null in records from before it was kept
 * @param cpus            processors available to the JVM
 * @param threads         libtorch intra-op threads in use
 * @param seed            the run's seed, or null when the command has none
 * @param runId           one random id per process: tells two runs of the same commit apart (work claims, and
 *                        the measurements of a code version that cannot be told, which are never reused)
 * @param timestamp       when this record was made (UTC, seconds); a measurement's is when it was measured
 * @param alongside       what else measured on this machine while a grid task measured this number (other RevBench
 *                        processes' tasks, and the load average), as {@link org.revbench.harness.bench.NodeLock} saw
 *                        it: workers sharing a node load each other's timings; null outside the grid and in records
 *                        from before it was kept
 * @param device          the device the number was computed on ({@code cpu} or {@code cuda:N}, {@link Devices}); null
 *                        where the record does not say (records from before it was kept, commands that run no model):
 *                        the CPU, the only device there was
 * @param gpu             on a GPU: its model, driver, CUDA runtime and the libtorch build that ran
 *                        ({@link #describeGpu}); null on the CPU
 */
public record Provenance(String gitCommit, Boolean gitDirty, String treeState, String jdk, String jvm,
                         String djlVersion, String libtorchVersion, String os, String cpuModel, String machineClass,
                         String allocator, int cpus, Integer threads, Long seed, String runId, String timestamp,
                         String alongside, String device, String gpu) {

    /** A record without {@link #device} and {@link #gpu}. */
    public Provenance(String gitCommit, Boolean gitDirty, String treeState, String jdk, String jvm, String djlVersion,
                      String libtorchVersion, String os, String cpuModel, String machineClass, String allocator, int cpus,
                      Integer threads, Long seed, String runId, String timestamp, String alongside) {
        this(gitCommit, gitDirty, treeState, jdk, jvm, djlVersion, libtorchVersion, os, cpuModel, machineClass,
                allocator, cpus, threads, seed, runId, timestamp, alongside, null, null);
    }

    /** A record without {@link #alongside}. */
    public Provenance(String gitCommit, Boolean gitDirty, String treeState, String jdk, String jvm, String djlVersion,
                      String libtorchVersion, String os, String cpuModel, String machineClass, String allocator, int cpus,
                      Integer threads, Long seed, String runId, String timestamp) {
        this(gitCommit, gitDirty, treeState, jdk, jvm, djlVersion, libtorchVersion, os, cpuModel, machineClass,
                allocator, cpus, threads, seed, runId, timestamp, null);
    }

    /** System property naming the repository root (set by the {@code revbench} script). */
    public static final String HOME_PROPERTY = "revbench.home";
    public static final String UNKNOWN = "unknown";
    /** {@link #treeState} of a work tree without uncommitted changes. */
    public static final String CLEAN = "clean";

    /** This process's run id. */
    private static final String RUN_ID = java.util.UUID.randomUUID().toString();

    /**
     * A record without the fields kept since (tree state, machine class, allocator, run id): the tree state told from
     * the dirty flag, the others null.
     */
    public Provenance(String gitCommit, Boolean gitDirty, String jdk, String jvm, String djlVersion,
                      String libtorchVersion, String os, String cpuModel, int cpus, Integer threads, Long seed,
                      String timestamp) {
        this(gitCommit, gitDirty, Boolean.FALSE.equals(gitDirty) ? CLEAN : UNKNOWN, jdk, jvm, djlVersion,
                libtorchVersion, os, cpuModel, null, null, cpus, threads, seed, null, timestamp);
    }

    private static volatile GitState git;
    private static volatile String cpu;

    /** Collects the provenance of a run, starting the engine (if not yet started) for its versions. */
    public static Provenance collect(Long seed) {
        GitState g = git();
        String djl = UNKNOWN;
        String torch = UNKNOWN;
        Integer threads = null;
        try {
            Engines.start();
            djl = Engines.djlVersion();
            torch = Engines.libtorchVersion();
            threads = Engines.intraOpThreads();
        } catch (RuntimeException | LinkageError e) {
            // reported as unknown: provenance must never be the reason a command fails
        }
        return new Provenance(g.commit(), g.dirty(), g.treeState(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                djl, torch,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                detectCpuModel(), MachineClass.detect(), Allocator.detect(), Runtime.getRuntime().availableProcessors(),
                threads, seed, RUN_ID, now());
    }

    /** The same provenance stamped {@code timestamp} (a measurement's own moment). */
    public Provenance at(String timestamp) {
        return new Provenance(gitCommit, gitDirty, treeState, jdk, jvm, djlVersion, libtorchVersion, os, cpuModel,
                machineClass, allocator, cpus, threads, seed, runId, timestamp, alongside, device, gpu);
    }

    /** The same provenance with {@code threads} intra-op threads (what a forked measuring process used). */
    public Provenance withThreads(Integer threads) {
        return new Provenance(gitCommit, gitDirty, treeState, jdk, jvm, djlVersion, libtorchVersion, os, cpuModel,
                machineClass, allocator, cpus, threads, seed, runId, timestamp, alongside, device, gpu);
    }

    /** The same provenance with {@link #alongside} {@code what}. */
    public Provenance withAlongside(String what) {
        return new Provenance(gitCommit, gitDirty, treeState, jdk, jvm, djlVersion, libtorchVersion, os, cpuModel,
                machineClass, allocator, cpus, threads, seed, runId, timestamp, what, device, gpu);
    }

    /**
     * The same provenance for numbers computed on {@code device}: its name, and on a GPU what the GPU and its software
     * are ({@link #describeGpu}).
     */
    public Provenance withDevice(Device device) {
        return new Provenance(gitCommit, gitDirty, treeState, jdk, jvm, djlVersion, libtorchVersion, os, cpuModel,
                machineClass, allocator, cpus, threads, seed, runId, timestamp, alongside, Devices.name(device),
                device.isGpu() ? describeGpu(device) : null);
    }

    /** {@link #device}, or {@code cpu} where the record names none. */
    public String deviceName() {
        return device == null ? "cpu" : device;
    }

    /** The device {@link #device} names; the CPU where the record names none. */
    public Device computeDevice() {
        return device == null ? Device.cpu() : Devices.parse(device);
    }

    /**
     * What a stored number may be reused by: the code version, or where it cannot be told this run alone
     * ({@code "run <id>"}, or for records from before run ids, the moment it was made).
     */
    public String reuseScope() {
        String code = codeVersion();
        String scope = code != null ? code : "run " + (runId != null ? runId : timestamp);
        // a GPU's number is not the CPU's: the device is part of what a number may be reused for (the CPU's scope
        // stays what it was before devices were kept, so that numbers stored then are still found)
        return device == null || device.equals("cpu") ? scope : scope + " on " + device;
    }

    /** This machine's name, as claims and work items record it (a process id means something only on its own host). */
    public static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                h = "unknown-host";
            }
        }
        return h;
    }

    /** Now, as {@link #timestamp} is written (UTC, whole seconds, so that it sorts as text). */
    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * The code that made a number, as far as it can be told: the commit, plus the hash of the uncommitted changes
     * when the tree was dirty; null when it cannot be told (no git, or a dirty tree whose changes could not be
     * hashed). A number whose code version is null is never reused for another run.
     */
    public String codeVersion() {
        if (gitCommit == null || UNKNOWN.equals(gitCommit) || treeState == null || UNKNOWN.equals(treeState)) {
            return null;
        }
        return CLEAN.equals(treeState) ? gitCommit : gitCommit + "+" + treeState;
    }

    /** Field map with snake_case keys, in a stable order, for JSON reports. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("git_commit", gitCommit);
        m.put("git_dirty", gitDirty);
        m.put("tree_state", treeState);
        m.put("jdk", jdk);
        m.put("jvm", jvm);
        m.put("djl_version", djlVersion);
        m.put("libtorch_version", libtorchVersion);
        m.put("os", os);
        m.put("cpu_model", cpuModel);
        m.put("machine_class", machineClass);
        m.put("allocator", allocator);
        m.put("cpus", cpus);
        m.put("threads", threads);
        m.put("seed", seed);
        m.put("run_id", runId);
        m.put("timestamp", timestamp);
        if (alongside != null) {
            m.put("alongside", alongside);
        }
        if (device != null) {
            m.put("device", device);
        }
        if (gpu != null) {
            m.put("gpu", gpu);
        }
        return m;
    }

    // ---------------------------------------------------------------- GPU

    /** Each GPU's description, found once per process (a grid asks for it with every task). */
    private static final Map<Integer, String> GPUS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * What a GPU measurement's provenance says of its device ({@link #gpu}): the GPU's model and driver
     * ({@code nvidia-smi}), the CUDA runtime DJL found, and the libtorch that ran, e.g. {@code NVIDIA H200; driver
     * 570.86.15; CUDA 12.8; libtorch 2.7.1 from /opt/torch/lib}. What cannot be found reads {@code unknown}; this never
     * fails.
     */
    public static String describeGpu(Device device) {
        return GPUS.computeIfAbsent(Math.max(0, device.getDeviceId()), Provenance::findGpu);
    }

    private static String findGpu(int id) {
        String smi = run(Path.of("."), "nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader",
                "-i", Integer.toString(id));
        String cuda;
        try {
            cuda = ai.djl.util.cuda.CudaUtils.getCudaVersionString();
        } catch (RuntimeException | LinkageError e) {
            cuda = null;
        }
        String libtorch;
        try {
            libtorch = Engines.libtorchDescription();
        } catch (RuntimeException | LinkageError e) {
            libtorch = null;
        }
        return describeGpu(smi, cuda, libtorch);
    }

    /**
     * The description from {@code nvidia-smi}'s CSV line ({@code name, driver_version}), DJL's CUDA version string
     * (e.g. {@code 128} for 12.8) and the libtorch description; any of them may be null.
     */
    static String describeGpu(String smiLine, String cudaVersion, String libtorch) {
        String model = "unknown GPU";
        String driver = "unknown";
        if (smiLine != null && !smiLine.isBlank()) {
            String[] f = smiLine.lines().findFirst().orElse("").split(",");
            model = f[0].strip().isEmpty() ? model : f[0].strip();
            if (f.length > 1 && !f[1].strip().isEmpty()) {
                driver = f[1].strip();
            }
        }
        String cuda = "unknown";
        if (cudaVersion != null && cudaVersion.strip().matches("\\d{3,}")) {
            String v = cudaVersion.strip();
            cuda = v.substring(0, v.length() - 1) + "." + v.substring(v.length() - 1);
        } else if (cudaVersion != null && !cudaVersion.isBlank()) {
            cuda = cudaVersion.strip();
        }
        return model + "; driver " + driver + "; CUDA " + cuda + "; " + (libtorch == null ? "libtorch unknown" : libtorch);
    }

    // ---------------------------------------------------------------- git

    /** Commit, dirty flag and tree state of the checkout. */
    record GitState(String commit, Boolean dirty, String treeState) {}

    static GitState git() {
        GitState g = git;
        if (g == null) {
            g = readGit();
            git = g;
        }
        return g;
    }

    private static GitState readGit() {
        Path root = repositoryRoot();
        if (root == null) {
            return new GitState(UNKNOWN, null, UNKNOWN);
        }
        String head = run(root, "git", "rev-parse", "HEAD");
        if (head == null || !head.strip().matches("[0-9a-f]{40,64}")) {
            return new GitState(UNKNOWN, null, UNKNOWN);
        }
        String status = run(root, "git", "status", "--porcelain");
        if (status == null) {
            return new GitState(head.strip(), null, UNKNOWN);
        }
        return status.isBlank() ? new GitState(head.strip(), false, CLEAN)
                : new GitState(head.strip(), true, changesHash(root));
    }

    /**
     * A hash of what the work tree holds beyond HEAD: the binary diff of tracked files (staged or not) and the path
     * and bytes of every untracked file that is not ignored. Two dirty trees of one commit get one hash only when
     * their changes are the same, so a number measured with one edit is never reused for another.
     */
    static String changesHash(Path root) {
        byte[] diff = runBytes(root, "git", "diff", "HEAD", "--binary", "--no-color", "--no-ext-diff");
        byte[] untracked = runBytes(root, "git", "ls-files", "--others", "--exclude-standard", "-z");
        if (diff == null || untracked == null) {
            return UNKNOWN;
        }
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(diff);
            for (String name : new String(untracked, StandardCharsets.UTF_8).split("\0")) {
                if (name.isEmpty()) {
                    continue;
                }
                Path f = root.resolve(name);
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                if (Files.isRegularFile(f)) {
                    sha.update(Files.readAllBytes(f));
                }
                sha.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return UNKNOWN;
        }
    }

    /**
     * The checkout this code belongs to: {@value #HOME_PROPERTY} if set, else the first directory with a
     * {@code .git} above the working directory, else above the location of these classes.
     */
    static Path repositoryRoot() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path p = findGitAbove(Paths.get(home));
            if (p != null) {
                return p;
            }
        }
        Path p = findGitAbove(Paths.get(System.getProperty("user.dir", ".")));
        if (p != null) {
            return p;
        }
        try {
            CodeSource cs = Provenance.class.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                return findGitAbove(Paths.get(cs.getLocation().toURI()));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no file location
        }
        return null;
    }

    private static Path findGitAbove(Path start) {
        for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) {
                return d;
            }
        }
        return null;
    }

    /** Runs a short command in {@code dir}; its stdout, or null when it could not run or failed. */
    private static String run(Path dir, String... command) {
        byte[] out = runBytes(dir, command);
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
    }

    private static byte[] runBytes(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null; // git not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // ---------------------------------------------------------------- CPU

    /** The "model name" of the first processor in /proc/cpuinfo, or "unknown". */
    static String detectCpuModel() {
        String c = cpu;
        if (c == null) {
            c = readCpuModel(Paths.get("/proc/cpuinfo"));
            cpu = c;
        }
        return c;
    }

    static String readCpuModel(Path cpuinfo) {
        try {
            List<String> candidates = new ArrayList<>();
            for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (value.isEmpty()) {
                    continue;
                }
                if (key.equals("model name")) {
                    return value;
                }
                // other architectures name the CPU differently (e.g. "Hardware", "cpu model", "uarch")
                if (key.equals("Hardware") || key.equals("cpu model") || key.equals("uarch") || key.equals("cpu")) {
                    candidates.add(value);
                }
            }
            return candidates.isEmpty() ? UNKNOWN : candidates.get(0);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    // ---------------------------------------------------------------- reading back

    /**
     * The inverse of {@link #toMap()}: a provenance from its snake_case field map, as read back from JSON or a
     * results store. Numbers may come as any {@link Number} (JSON gives doubles); a missing key reads as null
     * (for {@code cpus}, 0). A record from before the tree state was kept gets {@value #CLEAN} where it says the
     * tree was not dirty, else {@value #UNKNOWN}.
     *
     * @throws IllegalArgumentException when a field has the wrong type (named in the message)
     */
    public static Provenance fromMap(Map<String, Object> m) {
        Number cpus = field(m, "cpus", Number.class);
        Number threads = field(m, "threads", Number.class);
        Number seed = field(m, "seed", Number.class);
        Boolean dirty = field(m, "git_dirty", Boolean.class);
        String tree = field(m, "tree_state", String.class);
        return new Provenance(field(m, "git_commit", String.class), dirty,
                tree != null ? tree : Boolean.FALSE.equals(dirty) ? CLEAN : UNKNOWN,
                field(m, "jdk", String.class), field(m, "jvm", String.class), field(m, "djl_version", String.class),
                field(m, "libtorch_version", String.class), field(m, "os", String.class),
                field(m, "cpu_model", String.class), field(m, "machine_class", String.class),
                field(m, "allocator", String.class),
                cpus == null ? 0 : cpus.intValue(), threads == null ? null : threads.intValue(),
                seed == null ? null : seed.longValue(), field(m, "run_id", String.class),
                field(m, "timestamp", String.class), field(m, "alongside", String.class),
                field(m, "device", String.class), field(m, "gpu", String.class));
    }

    private static <T> T field(Map<String, Object> m, String key, Class<T> type) {
        Object v = m.get(key);
        if (v != null && !type.isInstance(v)) {
            throw new IllegalArgumentException("provenance field " + key + " should be a " + type.getSimpleName()
                    + ", got " + v.getClass().getSimpleName() + " " + v);
        }
        return type.cast(v);
    }
}
