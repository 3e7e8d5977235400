package org.revbench.harness;

import ai.djl.pytorch.jni.JniUtils;
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
import org.revbench.core.engine.Engines;

/**
 * Where a number came from: the code (git commit and whether the work tree had changes), the software stack
 * (JDK, DJL, libtorch), the machine (OS, CPU model, core count, intra-op threads) and the seed. Every JSON
 * object the command line prints carries one under {@code "provenance"}; later protocols attach the same.
 *
 * <p>Nothing here fails: what cannot be found is reported as {@code "unknown"} (git missing, not a checkout,
 * no {@code /proc/cpuinfo}, engine not startable).
 *
 * @param gitCommit       {@code git rev-parse HEAD} of the checkout, or "unknown"
 * @param gitDirty        whether {@code git status --porcelain} lists anything (modified, staged or untracked
 *                        files that are not ignored); null when unknown
 * @param jdk             Java version and vendor
 * @param jvm             VM name and version
 * @param djlVersion      DJL version
 * @param libtorchVersion libtorch version the engine loaded
 * @param os              OS name, version and architecture
 * @param cpuModel        the CPU's model name from /proc/cpuinfo
 * @param cpus            processors available to the JVM
 * @param threads         libtorch intra-op threads in use
 * @param seed            the run's seed, or null when the command has none
 * @param timestamp       when this record was made (UTC, seconds)
 */
public record Provenance(String gitCommit, Boolean gitDirty, String jdk, String jvm, String djlVersion,
                         String libtorchVersion, String os, String cpuModel, int cpus, Integer threads, Long seed,
                         String timestamp) {

    /** System property naming the repository root (set by the {@code revbench} script). */
    public static final String HOME_PROPERTY = "revbench.home";
    public static final String UNKNOWN = "unknown";

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
            threads = JniUtils.getNumThreads();
        } catch (RuntimeException | LinkageError e) {
            // reported as unknown: provenance must never be the reason a command fails
        }
        return new Provenance(g.commit(), g.dirty(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                djl, torch,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                detectCpuModel(), Runtime.getRuntime().availableProcessors(), threads, seed,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** Field map with snake_case keys, in a stable order, for JSON reports. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("git_commit", gitCommit);
        m.put("git_dirty", gitDirty);
        m.put("jdk", jdk);
        m.put("jvm", jvm);
        m.put("djl_version", djlVersion);
        m.put("libtorch_version", libtorchVersion);
        m.put("os", os);
        m.put("cpu_model", cpuModel);
        m.put("cpus", cpus);
        m.put("threads", threads);
        m.put("seed", seed);
        m.put("timestamp", timestamp);
        return m;
    }

    // ---------------------------------------------------------------- git

    /** Commit and dirty flag of the checkout. */
    record GitState(String commit, Boolean dirty) {}

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
            return new GitState(UNKNOWN, null);
        }
        String head = run(root, "git", "rev-parse", "HEAD");
        if (head == null || !head.strip().matches("[0-9a-f]{40,64}")) {
            return new GitState(UNKNOWN, null);
        }
        String status = run(root, "git", "status", "--porcelain");
        return new GitState(head.strip(), status == null ? null : !status.isBlank());
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
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
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
     * (for {@code cpus}, 0).
     *
     * @throws IllegalArgumentException when a field has the wrong type (named in the message)
     */
    public static Provenance fromMap(Map<String, Object> m) {
        Number cpus = field(m, "cpus", Number.class);
        Number threads = field(m, "threads", Number.class);
        Number seed = field(m, "seed", Number.class);
        return new Provenance(field(m, "git_commit", String.class), field(m, "git_dirty", Boolean.class),
                field(m, "jdk", String.class), field(m, "jvm", String.class), field(m, "djl_version", String.class),
                field(m, "libtorch_version", String.class), field(m, "os", String.class),
                field(m, "cpu_model", String.class), cpus == null ? 0 : cpus.intValue(),
                threads == null ? null : threads.intValue(), seed == null ? null : seed.longValue(),
                field(m, "timestamp", String.class));
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
