package org.revbench.harness.bench;

import java.util.List;
import org.revbench.core.engine.Engines;

/**
 * The JVM of a model benchmark's fork, in one place: the arguments the model benchmarks' {@code @Fork}
 * ({@link ModelBenchmark}) names, with the thread count the caller asks for, and a check in the fork that libtorch
 * took it. Options given to JMH's runner replace an annotation's {@code jvmArgsAppend} whole, so a caller that sets
 * the threads passes all of {@link #jvmArgs}, not the thread property alone.
 */
public final class BenchmarkFork {

    /** The property DJL reads for libtorch's intra-op threads when the engine starts. */
    public static final String THREADS_PROPERTY = Engines.THREADS_PROPERTY;

    private BenchmarkFork() {}

    /** The JVM arguments of a fork whose libtorch runs {@code threads} intra-op threads (and one inter-op thread). */
    public static String[] jvmArgs(int threads) {
        return List.of("-Xss4m", "-Dai.djl.offline=true", "-D" + THREADS_PROPERTY + "=" + threads,
                "-D" + Engines.INTEROP_THREADS_PROPERTY + "=1").toArray(String[]::new);
    }

    /**
     * In the fork, before measuring: starts the engine and fails the trial when libtorch does not run the thread
     * count the fork was started with, so that a benchmark never times another count than its provenance states.
     */
    public static void checkThreads() {
        Engines.start();
        Integer asked = Integer.getInteger(THREADS_PROPERTY);
        int used = Engines.intraOpThreads();
        if (asked != null && used != asked) {
            throw new IllegalStateException("the benchmark fork was started with " + THREADS_PROPERTY + "=" + asked
                    + " but libtorch runs " + used + " intra-op threads");
        }
    }
}
