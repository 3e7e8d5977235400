package org.revbench.core.data.event;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.EventStream;

/**
 * Mutates valid files for about two seconds per parser (seeded): bit flips, truncation, appended and overwritten
 * random bytes, packet header fields set to extreme values. The only exception a reader may throw is its own
 * subclass; a hang fails the preemptive timeout; an OutOfMemoryError or any other throwable fails the test.
 */
class FormatFuzzTest {
    /** Mutations every fuzz run makes at least, whatever the clock says (the seeds make them the same each run). */
    static final int MIN_ITERATIONS = 1500;
    static final long BUDGET_NANOS = 2_000_000_000L;
    static final int[] EXTREMES = {0, 1, -1, 8, 28, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 0xFFFF, -8};

    @TempDir
    Path dir;

    interface Parse {
        void run(Path file) throws IOException;
    }

    @Test
    void aedat2() {
        Random r = new Random(20);
        AedatBytes b = AedatBytes.text(AedatBytes.AEDAT2_HEADER);
        for (int i = 0; i < 64; i++) {
            b.pair(r.nextInt(1 << 15), 1000L * i + r.nextInt(1000));
        }
        byte[] valid = b.bytes();
        Aedat2Reader[] readers = {new Aedat2Reader(), new Aedat2Reader(Aedat2Reader.Mapping.RAW,
                Aedat2Reader.HighBits.IGNORE)};
        fuzz(r, valid, List.of(), AedatFormatException.class, f -> {
            for (Aedat2Reader reader : readers) {
                sane(reader.read(f), Files.size(f));
            }
        });
    }

    @Test
    void aedat31() {
        Random r = new Random(31);
        List<Integer> headers = new ArrayList<>();
        AedatBytes b = AedatBytes.text(AedatBytes.AEDAT31_HEADER);
        int at = AedatBytes.AEDAT31_HEADER.length();
        headers.add(at);
        b.packet(0, 8, 4, 0, 1, 1, 1).polarity(true, 0, 0, 0, 0);
        at += 36;
        for (int p = 0; p < 6; p++) {
            headers.add(at);
            int n = p == 2 ? 0 : 1 + r.nextInt(12);
            b.polarityPacket(p / 2, n);
            for (int k = 0; k < n; k++) {
                b.polarity(r.nextInt(8) != 0, r.nextInt(128), r.nextInt(128), r.nextInt(2), r.nextInt(1 << 30));
            }
            at += 28 + 8 * n;
        }
        headers.add(at);
        b.packet(2, 40, 12, 0, 1, 1, 1).raw(new byte[40]);
        byte[] valid = b.bytes();
        Aedat31Reader[] readers = {new Aedat31Reader(), new Aedat31Reader(Aedat31Reader.InvalidEvents.DROP)};
        fuzz(r, valid, headers, AedatFormatException.class, f -> {
            for (Aedat31Reader reader : readers) {
                sane(reader.read(f), Files.size(f));
            }
        });
    }

    @Test
    void labelsCsvAndTrialList() throws IOException {
        Random r = new Random(11);
        StringBuilder csv = new StringBuilder(GestureLabels.HEADER + "\r\n");
        for (int i = 0; i < 12; i++) {
            long start = 80_000_000L + 7_000_000L * i;
            csv.append(1 + i % 11).append(',').append(start).append(',').append(start + 5_000_000L).append("\r\n");
        }
        byte[] validCsv = csv.toString().getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("user01_led.aedat"), new byte[0]);
        Files.write(dir.resolve("user01_led_labels.csv"), validCsv);
        byte[] validList = "user01_led.aedat\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        Random half = new Random(12);
        fuzz(r, validCsv, List.of(), GestureLabelsException.class, f -> {
            for (GestureLabels.Window w : GestureLabels.readLabels(f)) {
                assertTrue(w.classId() >= 1 && w.classId() <= 11 && w.startUs() >= 0 && w.endUs() >= w.startUs());
            }
        }, BUDGET_NANOS / 2);
        fuzz(half, validList, List.of(), GestureLabelsException.class, f -> {
            for (Path trial : GestureLabels.readTrialList(f)) {
                assertTrue(Files.isRegularFile(trial));
            }
        }, BUDGET_NANOS / 2);
    }

    /** A stream a reader returned from a mutated file is still a stream of events on its sensor. */
    private static void sane(EventStream s, long fileBytes) {
        assertTrue(s.size() <= fileBytes / 8);
        for (int i = 0; i < s.size(); i++) {
            assertTrue(s.t()[i] >= 0 && s.x()[i] >= 0 && s.x()[i] < s.width() && s.y()[i] >= 0
                    && s.y()[i] < s.height() && (s.p()[i] == 0 || s.p()[i] == 1));
        }
    }

    private void fuzz(Random r, byte[] valid, List<Integer> packetHeaders, Class<? extends DatasetFormatException> own,
            Parse parse) {
        fuzz(r, valid, packetHeaders, own, parse, BUDGET_NANOS);
    }

    private void fuzz(Random r, byte[] valid, List<Integer> packetHeaders, Class<? extends DatasetFormatException> own,
            Parse parse, long budget) {
        Path f = dir.resolve("fuzz-" + own.getSimpleName() + "-" + r.nextInt(1000) + ".txt");
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            long end = System.nanoTime() + budget;
            int iteration = 0;
            // a time budget, but never fewer than MIN_ITERATIONS: on a loaded machine the budget alone may run too few
            while (System.nanoTime() < end || iteration < MIN_ITERATIONS) {
                byte[] bytes = mutate(r, valid, packetHeaders);
                Files.write(f, bytes);
                try {
                    parse.run(f);
                    outcomes[0]++;
                } catch (Throwable e) {
                    if (!own.isInstance(e)) {
                        fail("iteration " + iteration + ": " + e + " on " + Arrays.toString(bytes), e);
                    }
                    outcomes[1]++;
                }
                iteration++;
            }
        });
        // both outcomes must occur, or the mutations are not exercising the parser
        assertTrue(outcomes[0] > 10 && outcomes[1] > 10, "accepted " + outcomes[0] + ", refused " + outcomes[1]);
    }

    private static byte[] mutate(Random r, byte[] valid, List<Integer> packetHeaders) {
        byte[] b = valid.clone();
        int kinds = packetHeaders.isEmpty() ? 5 : 6;
        int rounds = 1 + r.nextInt(3);
        for (int round = 0; round < rounds; round++) {
            switch (r.nextInt(kinds)) {
                case 0 -> { // bit flips
                    for (int k = 1 + r.nextInt(4); k > 0 && b.length > 0; k--) {
                        int i = r.nextInt(b.length);
                        b[i] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncation
                case 2 -> { // random bytes appended
                    byte[] extra = new byte[1 + r.nextInt(64)];
                    r.nextBytes(extra);
                    byte[] c = Arrays.copyOf(b, b.length + extra.length);
                    System.arraycopy(extra, 0, c, b.length, extra.length);
                    b = c;
                }
                case 3 -> { // a random run overwritten
                    if (b.length > 0) {
                        int from = r.nextInt(b.length);
                        for (int i = from; i < Math.min(b.length, from + 1 + r.nextInt(16)); i++) {
                            b[i] = (byte) r.nextInt(256);
                        }
                    }
                }
                case 4 -> { // a 32-bit word at any offset set to an extreme (addresses, timestamps, header text)
                    if (b.length >= 4) {
                        int i = r.nextInt(b.length - 3);
                        ByteBuffer.wrap(b).order(r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                                .putInt(i, EXTREMES[r.nextInt(EXTREMES.length)]);
                    }
                }
                default -> { // a packet header field (eventSize ... eventValid, or the type) set to an extreme
                    int h = packetHeaders.get(r.nextInt(packetHeaders.size()));
                    int field = r.nextInt(7);
                    int i = field == 0 ? h : h + 4 * field;
                    if (i + 4 <= b.length) {
                        int v = EXTREMES[r.nextInt(EXTREMES.length)];
                        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                        if (field == 0) {
                            bb.putShort(i, (short) v);
                        } else {
                            bb.putInt(i, v);
                        }
                    }
                }
            }
        }
        return b;
    }
}
