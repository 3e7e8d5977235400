package org.revbench.core.data.event;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.EventStream;

/**
 * Hand-assembled AEDAT bytes, built from the format facts alone (not from the writers), so that a writer bug cannot
 * hide a reader bug; plus random streams and a message assertion shared by the tests.
 */
final class AedatBytes {
    static final String AEDAT2_HEADER = "#!AER-DAT2.0\r\n# This is a raw AE data file\r\n# Timestamps tick is 1 us\r\n";
    static final String AEDAT31_HEADER = "#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n#!END-HEADER\r\n";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static AedatBytes text(String header) {
        AedatBytes b = new AedatBytes();
        b.raw(header.getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    AedatBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** AEDAT 2.0 event: big-endian u32 address, u32 timestamp. */
    AedatBytes pair(int address, long timestamp) {
        return raw(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(address).putInt((int) timestamp).array());
    }

    /** AEDAT 3.1 packet header, little-endian. */
    AedatBytes packet(int type, int size, int tsOffset, int overflow, int capacity, int number, int valid) {
        return raw(ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putShort((short) type).putShort((short) 1)
                .putInt(size).putInt(tsOffset).putInt(overflow).putInt(capacity).putInt(number).putInt(valid).array());
    }

    /** A polarity packet header for {@code n} valid events. */
    AedatBytes polarityPacket(int overflow, int n) {
        return packet(1, 8, 4, overflow, n, n, n);
    }

    /** AEDAT 3.1 polarity event: data (valid, polarity, y bits 2-16, x bits 17-31), timestamp, little-endian. */
    AedatBytes polarity(boolean valid, int x, int y, int p, int ts) {
        int data = x << 17 | y << 2 | p << 1 | (valid ? 1 : 0);
        return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(data).putInt(ts).array());
    }

    byte[] bytes() { return out.toByteArray(); }

    Path write(Path file) throws IOException {
        return Files.write(file, bytes());
    }

    static EventStream stream(long[] t, int[] x, int[] y, int[] p) {
        EventStream.Builder b = new EventStream.Builder(128, 128);
        for (int i = 0; i < t.length; i++) {
            b.add(t[i], x[i], y[i], p[i]);
        }
        return b.build();
    }

    /** {@code n} random 128x128 events, times non-decreasing from {@code t0} with steps below {@code maxStep}. */
    static EventStream randomStream(Random r, int n, long t0, long maxStep) {
        EventStream.Builder b = new EventStream.Builder(128, 128);
        long t = t0;
        for (int i = 0; i < n; i++) {
            t += (long) (r.nextDouble() * maxStep);
            b.add(t, r.nextInt(128), r.nextInt(128), r.nextInt(2));
        }
        return b.build();
    }

    /** Asserts the call throws {@code type} and its message names the file and contains each fragment. */
    static <T extends DatasetFormatException> T assertFails(Class<T> type, Path file, Executable call,
            String... fragments) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(file.toString()), () -> "file not named: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
        return e;
    }
}
