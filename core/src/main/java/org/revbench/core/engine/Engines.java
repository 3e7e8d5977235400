package org.revbench.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Starts the DJL PyTorch engine the one way this project allows: offline, with libtorch unpacked into one
 * stable cache directory, and with an explicit intra-op thread count.
 *
 * <p>Why: DJL 0.35.1 would otherwise try to download a libtorch build that matches its newest version, and
 * every JVM would unpack the 430 MB native jar again. The system properties must be set before the engine
 * class loads, so every entry point (CLI, tests, forked probes) calls {@link #start()} first.
 */
public final class Engines {

    /** Default cache root; overridable by {@code DJL_CACHE_DIR} (property or environment). */
    public static final Path DEFAULT_CACHE = Paths.get(System.getProperty("user.home"), ".revbench", "cache", "djl");

    /**
     * The property DJL reads for libtorch's intra-op threads when the engine starts (a forked JVM is given it as
     * {@code -D}; a compile-time constant, so that annotations can name it).
     */
    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    /** The property DJL reads for libtorch's inter-op threads when the engine starts. */
    public static final String INTEROP_THREADS_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    private static volatile Engine engine;

    private Engines() {}

    /** The two ways DJL gets a CUDA libtorch 2.7.1 (docs/gpu.md, "Running on a GPU"). */
    public static final String CUDA_LIBTORCH = "a CUDA libtorch 2.7.1 from PYTORCH_LIBRARY_PATH (e.g. a torch"
            + " 2.7.1+cu128 wheel's torch/lib, with PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128) or from DJL's download"
            + " (DJL_OFFLINE=false, network needed)";

    /**
     * What a failed start says: no libtorch could be loaded, typically a build without the CPU one ({@code -Pcuda})
     * where none was given. The start of the one line a command prints.
     */
    public static final String NO_LIBTORCH = "no libtorch could be loaded: the CPU one comes with a build without"
            + " -Pcuda; " + CUDA_LIBTORCH;

    /** Starts (once) and returns the PyTorch engine. */
    public static Engine start() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (Engines.class) {
            if (engine == null) {
                // offline unless the user lets DJL download a libtorch (DJL_OFFLINE=false, docs/gpu.md)
                setIfAbsent("ai.djl.offline", System.getenv().getOrDefault("DJL_OFFLINE", "true"));
                if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
                    System.setProperty("DJL_CACHE_DIR", DEFAULT_CACHE.toString());
                }
                if (System.getProperty(THREADS_PROPERTY) == null) {
                    String env = System.getenv("REVBENCH_THREADS");
                    System.setProperty(THREADS_PROPERTY,
                            env != null ? env : Integer.toString(Runtime.getRuntime().availableProcessors()));
                }
                setIfAbsent(INTEROP_THREADS_PROPERTY, "1");
                // The engine records a graph only inside a gradient collector on its starting thread;
                // worker threads must switch recording off themselves (see Autograd).
                try {
                    engine = Engine.getEngine("PyTorch");
                } catch (RuntimeException failure) {
                    throw new EngineException(NO_LIBTORCH + " (DJL: " + firstLine(failure) + ")", failure);
                }
            }
            return engine;
        }
    }

    /**
     * A new root manager on {@code device}: the one way arrays get a device. Never the engine's default device, which
     * a CUDA build of libtorch makes the GPU whatever the run asked for.
     */
    public static NDManager newManager(Device device) {
        return start().newBaseManager(java.util.Objects.requireNonNull(device, "device"));
    }

    /** Intra-op threads libtorch was started with. */
    public static int threads() {
        start();
        return Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Intra-op threads libtorch runs now, as libtorch reports it: what a measurement's provenance states, and
     * what differs from {@link #threads()} once {@link #setIntraOpThreads} has changed it.
     */
    public static int intraOpThreads() {
        start();
        return JniUtils.getNumThreads();
    }

    /** Sets libtorch's intra-op threads for the rest of this JVM (the engine may have started with another count). */
    public static void setIntraOpThreads(int threads) {
        start();
        JniUtils.setNumThreads(threads);
    }

    /** libtorch version, e.g. "2.7.1". */
    public static String libtorchVersion() {
        return start().getVersion();
    }

    /**
     * The libtorch the engine loaded, in a few words: version and the folder it came from (whose name says the
     * build, e.g. {@code 2.7.1-20250812-cpu-linux-x86_64} or a wheel's {@code torch/lib}).
     */
    public static String libtorchDescription() {
        String path;
        try {
            path = LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError e) {
            path = null;
        }
        return "libtorch " + libtorchVersion() + (path == null ? "" : " from " + path);
    }

    /** DJL's own version. */
    public static String djlVersion() {
        String v = Engine.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.35.1";
    }

    /** Seeds libtorch's global generator (used only by random ops inside a network, e.g. dropout). */
    public static void seedNative(long seed) {
        start().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /** The first line of {@code e}'s message and of its causes', joined (a few at most). */
    private static String firstLine(Throwable e) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Throwable c = e; c != null && parts.size() < 4; c = c.getCause() == c ? null : c.getCause()) {
            parts.add(String.valueOf(c.getMessage()).lines().findFirst().orElse("").strip());
        }
        return String.join(": ", parts);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
