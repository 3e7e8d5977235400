package org.revbench.harness.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.simulate.EventCamera;

/**
 * Time to turn Fashion-MNIST test images into N-MNIST-style event streams ({@link EventCamera}) on one thread:
 * one invocation simulates the first {@code images} test images (seed = index), so images per second is
 * {@code images / (ms per invocation / 1000)}, and the 10,000-image test set takes {@code 10,000 / images} times
 * the invocation.
 *
 * <p>Run: {@code ./revbench bench EventSimulationBenchmark --warmup 1 --iterations 3 --time 2 --json}; the images
 * are read from {@code -p dir=...} (default: where Debian's {@code dataset-fashion-mnist} installs them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m"})
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class EventSimulationBenchmark {

    @Param("/usr/share/datasets/fashion-mnist")
    public String dir;

    @Param("1000")
    public int images;

    /** Sensor side: 34 (N-MNIST) or e.g. 128 (image scaled, as the DVS data sets' size). */
    @Param("34")
    public int sensor;

    private ImageSet set;
    private EventCamera camera;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        set = readTestImages(Path.of(dir), images);
        camera = new EventCamera(sensor == 34 ? EventCamera.Config.N_MNIST
                : EventCamera.Config.forSensor(sensor, sensor));
    }

    @Benchmark
    public long simulate(Blackhole bh) {
        long events = 0;
        for (int i = 0; i < set.size(); i++) {
            events += camera.simulate(set, i, i).events().size();
        }
        bh.consume(events);
        return events;
    }

    /**
     * The first {@code limit} images and labels of {@code t10k-*-ubyte.gz}: a minimal IDX reader, so the benchmark
     * does not depend on the data-set readers (IDX: big-endian magic 0x803 / 0x801, counts, rows, columns, u8).
     */
    static ImageSet readTestImages(Path dir, int limit) throws IOException {
        byte[] pixels;
        int count;
        int rows;
        int cols;
        try (DataInputStream in = gz(dir.resolve("t10k-images-idx3-ubyte.gz"))) {
            if (in.readInt() != 0x803) {
                throw new IOException(dir + ": t10k-images-idx3-ubyte.gz is not an IDX image file");
            }
            int n = in.readInt();
            rows = in.readInt();
            cols = in.readInt();
            if (limit > n) {
                throw new IOException(dir + " has " + n + " test images, asked for " + limit);
            }
            count = limit;
            pixels = new byte[count * rows * cols];
            in.readFully(pixels);
        }
        int[] labels = new int[count];
        try (DataInputStream in = gz(dir.resolve("t10k-labels-idx1-ubyte.gz"))) {
            if (in.readInt() != 0x801) {
                throw new IOException(dir + ": t10k-labels-idx1-ubyte.gz is not an IDX label file");
            }
            in.readInt();
            for (int i = 0; i < count; i++) {
                labels[i] = in.readUnsignedByte();
            }
        }
        return new ImageSet("fashion-mnist-t10k", pixels, labels, 1, rows, cols, 10);
    }

    private static DataInputStream gz(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(file + " not found (Debian package dataset-fashion-mnist installs it)");
        }
        return new DataInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16));
    }
}
