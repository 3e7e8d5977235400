package org.revbench.harness.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the dataset-reader benchmarks share, in one annotated base: one thread parses whole files that each trial
 * writes once to a temporary folder (in the page cache after the first read, so this measures parsing, not the
 * disk), in throughput mode, so that with a benchmark's own {@code @OperationsPerInvocation} the score is items
 * (events, images) per second. Each benchmark names its own {@code @Fork} for the heap its files need.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class ParseBenchmark {

    private final String prefix;

    /** The trial's folder, which {@link #write} fills. */
    protected Path dir;

    /** {@code prefix}: the name of the temporary folder's start. */
    protected ParseBenchmark(String prefix) {
        this.prefix = prefix;
    }

    /** Writes the trial's files into {@link #dir}. */
    protected abstract void write() throws IOException;

    @Setup(Level.Trial)
    public void writeFiles() throws IOException {
        dir = Files.createTempDirectory(prefix);
        write();
    }

    @TearDown(Level.Trial)
    public void deleteFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
