package org.revbench.harness.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.event.Aedat2Reader;
import org.revbench.core.data.event.Aedat2Writer;
import org.revbench.core.data.event.Aedat31Reader;
import org.revbench.core.data.event.Aedat31Writer;

/**
 * Parse speed of the event-camera readers: one AEDAT 2.0 file (CIFAR10-DVS format) and one AEDAT 3.1 file
 * (DVS128 Gesture format) of {@value #EVENTS} events each, written once per trial and parsed whole per invocation
 * on one thread. Each invocation counts as {@value #EVENTS} operations, so the score is events per second
 * (the target is at least 2e7). The files sit in the OS page cache after the first read: this measures parsing,
 * not the disk.
 *
 * <p>Run: {@code ./revbench bench AedatParseBenchmark --warmup 2 --iterations 5 --time 2 --json}.
 */
@OperationsPerInvocation(AedatParseBenchmark.EVENTS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class AedatParseBenchmark extends ParseBenchmark {
    public static final int EVENTS = 10_000_000;

    private Path aedat2;
    private Path aedat31;
    private final Aedat2Reader reader2 = new Aedat2Reader();
    private final Aedat31Reader reader31 = new Aedat31Reader();

    public AedatParseBenchmark() {
        super("revbench-aedat-bench");
    }

    @Override
    protected void write() throws IOException {
        EventStream.Builder b = new EventStream.Builder(128, 128);
        b.ensure(EVENTS);
        SplittableRandom r = new SplittableRandom(7);
        long t = 0;
        for (int i = 0; i < EVENTS; i++) {
            t += r.nextInt(4); // about 1.5 us apart: a busy DVS128 stream
            b.add(t, r.nextInt(128), r.nextInt(128), r.nextInt(2));
        }
        EventStream events = b.build();
        aedat2 = dir.resolve("cifar10_bench_0.aedat");
        aedat31 = dir.resolve("user01_bench.aedat");
        new Aedat2Writer().write(aedat2, events);
        new Aedat31Writer(Aedat31Writer.DEFAULT_PACKET_EVENTS, true).write(aedat31, events);
        check(reader2.read(aedat2), events, aedat2);
        check(reader31.read(aedat31), events, aedat31);
    }

    private static void check(EventStream read, EventStream written, Path file) {
        if (!read.sameEvents(written)) {
            throw new IllegalStateException(file + " does not read back as written");
        }
    }

    @Benchmark
    public EventStream aedat2() throws IOException {
        return reader2.read(aedat2);
    }

    @Benchmark
    public EventStream aedat31() throws IOException {
        return reader31.read(aedat31);
    }
}
