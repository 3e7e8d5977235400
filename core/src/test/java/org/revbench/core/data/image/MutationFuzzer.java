package org.revbench.core.data.image;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.opentest4j.AssertionFailedError;
import org.revbench.core.data.DatasetFormatException;

/**
 * Mutates valid files (bit flips, truncation, appended and overwritten bytes, inserted and deleted runs, header
 * fields set to extreme values) for a bounded time, but at least {@link #MIN_ITERATIONS} times, and checks that a
 * reader either accepts the result or throws its own {@link DatasetFormatException} subclass naming the file: any
 * other exception, an error such as {@link OutOfMemoryError}, or a hang (the whole run is bounded by a preemptive
 * timeout) fails the test, with the mutations that led to it. Seeded: a failure replays with the same seed, up to
 * the time-dependent iteration count.
 */
final class MutationFuzzer {

    /** Reads one mutated file. */
    interface Reader {
        void read(Path file) throws Exception;
    }

    /** A valid file, the offsets of its 32-bit big-endian header fields, and whether to fuzz it inside gzip. */
    record Seed(String name, byte[] bytes, int[] headerFields, boolean gzip) {}

    /** What a run did. */
    record Outcome(int iterations, int accepted, int rejected) {}

    /**
     * Never fewer iterations than this, however long they take, so that the time budget alone cannot fail the
     * "over 100 iterations" check on a loaded machine (with both cores of a 2-core box busy, 2 s ran 500 to 800;
     * a heavier load or a long pause would run fewer).
     */
    static final int MIN_ITERATIONS = 300;

    private static final int[] EXTREMES = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x10000, 0x00000803,
        0x00000801, 28, 60000};

    private MutationFuzzer() {}

    static Outcome run(Path dir, List<Seed> seeds, Reader reader, Class<? extends DatasetFormatException> expected,
            long seed, Duration budget) {
        return assertTimeoutPreemptively(budget.plusSeconds(30), () -> loop(dir, seeds, reader, expected, seed, budget));
    }

    private static Outcome loop(Path dir, List<Seed> seeds, Reader reader,
            Class<? extends DatasetFormatException> expected, long seed, Duration budget) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        long end = System.nanoTime() + budget.toNanos();
        int iterations = 0;
        int accepted = 0;
        int rejected = 0;
        while (System.nanoTime() < end || iterations < MIN_ITERATIONS) {
            Seed s = seeds.get(rnd.nextInt(seeds.size()));
            List<String> log = new ArrayList<>();
            byte[] content = s.bytes();
            boolean inside = s.gzip() && rnd.nextBoolean();
            if (inside) { // mutate the decompressed content, so header extremes reach the parser through gzip
                content = IdxFixtures.gzip(mutate(content, s.headerFields(), rnd, log));
                log.add("then gzip");
            } else {
                content = mutate(s.gzip() ? IdxFixtures.gzip(content) : content, s.gzip() ? new int[0]
                        : s.headerFields(), rnd, log);
            }
            Path file = dir.resolve(s.name());
            Files.write(file, content);
            iterations++;
            try {
                reader.read(file);
                accepted++;
            } catch (Throwable t) {
                if (!expected.isInstance(t) || !String.valueOf(t.getMessage()).contains(s.name())) {
                    throw new AssertionFailedError("seed " + seed + ", iteration " + iterations + ", file "
                            + s.name() + ", mutations " + log + ": expected " + expected.getSimpleName()
                            + " naming the file, got " + t, t);
                }
                rejected++;
            }
        }
        assertTrue(iterations > 100, "only " + iterations + " fuzz iterations ran");
        assertTrue(rejected > iterations / 4, "mutations rarely detected: " + rejected + " of " + iterations);
        return new Outcome(iterations, accepted, rejected);
    }

    /** One to three random mutations of {@code valid}. */
    static byte[] mutate(byte[] valid, int[] headerFields, SplittableRandom rnd, List<String> log) {
        byte[] b = valid.clone();
        int count = 1 + rnd.nextInt(3);
        for (int m = 0; m < count; m++) {
            int kind = rnd.nextInt(headerFields.length > 0 ? 7 : 6);
            switch (kind) {
                case 0 -> {
                    int flips = 1 + rnd.nextInt(8);
                    for (int i = 0; i < flips && b.length > 0; i++) {
                        int at = rnd.nextInt(b.length);
                        b[at] ^= (byte) (1 << rnd.nextInt(8));
                        log.add("flip@" + at);
                    }
                }
                case 1 -> {
                    int at = b.length == 0 ? 0 : rnd.nextInt(b.length);
                    b = Arrays.copyOf(b, at);
                    log.add("truncate@" + at);
                }
                case 2 -> {
                    int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 5000);
                    byte[] longer = Arrays.copyOf(b, b.length + n);
                    for (int i = b.length; i < longer.length; i++) {
                        longer[i] = (byte) rnd.nextInt(256);
                    }
                    b = longer;
                    log.add("append " + n);
                }
                case 3 -> {
                    if (b.length > 0) {
                        int at = rnd.nextInt(b.length);
                        int n = Math.min(b.length - at, 1 + rnd.nextInt(64));
                        for (int i = at; i < at + n; i++) {
                            b[i] = (byte) rnd.nextInt(256);
                        }
                        log.add("overwrite@" + at + "+" + n);
                    }
                }
                case 4 -> {
                    int at = b.length == 0 ? 0 : rnd.nextInt(b.length);
                    int n = 1 + rnd.nextInt(100);
                    byte[] out = new byte[b.length + n];
                    System.arraycopy(b, 0, out, 0, at);
                    for (int i = at; i < at + n; i++) {
                        out[i] = (byte) rnd.nextInt(256);
                    }
                    System.arraycopy(b, at, out, at + n, b.length - at);
                    b = out;
                    log.add("insert@" + at + "+" + n);
                }
                case 5 -> {
                    if (b.length > 0) {
                        int at = rnd.nextInt(b.length);
                        int n = Math.min(b.length - at, 1 + rnd.nextInt(100));
                        byte[] out = new byte[b.length - n];
                        System.arraycopy(b, 0, out, 0, at);
                        System.arraycopy(b, at + n, out, at, b.length - at - n);
                        b = out;
                        log.add("delete@" + at + "+" + n);
                    }
                }
                default -> {
                    int field = headerFields[rnd.nextInt(headerFields.length)];
                    int value = rnd.nextInt(4) == 0 ? rnd.nextInt() : EXTREMES[rnd.nextInt(EXTREMES.length)];
                    if (field + 4 <= b.length) {
                        ByteBuffer.wrap(b).putInt(field, value);
                        log.add("field@" + field + "=" + Integer.toUnsignedString(value));
                    }
                }
            }
        }
        return b;
    }
}
