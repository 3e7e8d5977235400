package org.revbench.harness.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;
import org.revbench.core.data.image.CifarReader;

/**
 * Decoding speed of the CIFAR-10 training set: five files of 10,000 records (random pixels and labels, seeded,
 * written once per trial to a temporary directory, so they are in the page cache) into one {@link ImageSet}.
 * Throughput mode with {@code @OperationsPerInvocation(50000)}: one operation is one image, so the score, and the
 * median {@code revbench bench} prints, is directly images per second (target: at least 50,000 on one thread).
 *
 * <p>Run: {@code ./revbench bench CifarDecodeBenchmark --warmup 2 --iterations 5 --time 2}.
 */
@OperationsPerInvocation(CifarDecodeBenchmark.IMAGES)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CifarDecodeBenchmark extends ParseBenchmark {

    static final int FILES = 5;
    static final int RECORDS_PER_FILE = 10_000;
    static final int IMAGES = FILES * RECORDS_PER_FILE;

    public CifarDecodeBenchmark() {
        super("revbench-cifar");
    }

    @Override
    protected void write() throws IOException {
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] record = new byte[CifarReader.CIFAR10_RECORD_BYTES];
        for (Path file : CifarReader.cifar10Files(dir, Split.TRAIN)) {
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int r = 0; r < RECORDS_PER_FILE; r++) {
                    rnd.nextBytes(record);
                    record[0] = (byte) rnd.nextInt(CifarReader.CIFAR10_CLASSES);
                    out.write(record);
                }
            }
        }
    }

    @Benchmark
    public ImageSet decodeTrainingSet() throws IOException {
        return CifarReader.readCifar10(dir, Split.TRAIN);
    }
}
