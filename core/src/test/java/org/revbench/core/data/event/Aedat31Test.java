package org.revbench.core.data.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.core.data.event.AedatBytes.AEDAT31_HEADER;
import static org.revbench.core.data.event.AedatBytes.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.event.Aedat31Reader.InvalidEvents;

class Aedat31Test {
    static final int H = AEDAT31_HEADER.length();

    @TempDir
    Path dir;

    final Aedat31Reader reader = new Aedat31Reader();

    @Test
    void handAssembledPacketsWithEmptyAndNonPolarityPacketsAndOverflow() throws IOException {
        Path f = AedatBytes.text(AEDAT31_HEADER)
                .packet(0, 8, 4, 0, 1, 1, 1).polarity(true, 0, 0, 0, 0)      // special event packet: skipped
                .polarityPacket(0, 2).polarity(true, 10, 20, 1, 100).polarity(true, 127, 0, 0, 200)
                .packet(1, 8, 4, 0, 0, 0, 0)                                  // empty polarity packet
                .packet(2, 40, 12, 0, 2, 2, 2).raw(new byte[80])            // frame packet: skipped by size
                .packet(7, 0, 0, 0, 0, 0, 0)                                  // empty packet of another type
                .polarityPacket(3, 1).polarity(true, 5, 127, 1, 0x7FFFFFFF)  // overflow 3: t = ts | 3 << 31
                .write(dir.resolve("a.aedat"));
        EventStream s = reader.read(f).trimmed();
        assertArrayEquals(new long[] {100, 200, 0x7FFFFFFFL | 3L << 31}, s.t());
        assertArrayEquals(new short[] {10, 127, 5}, s.x());
        assertArrayEquals(new short[] {20, 0, 127}, s.y());
        assertArrayEquals(new byte[] {1, 0, 1}, s.p());
        assertEquals(128, s.width());
    }

    @Test
    void invalidEventsAreKeptByDefaultAsSpikingJellyDoesOrDropped() throws IOException {
        Path f = AedatBytes.text(AEDAT31_HEADER).packet(1, 8, 4, 0, 3, 3, 2)
                .polarity(true, 1, 1, 0, 1).polarity(false, 2, 2, 1, 2).polarity(true, 3, 3, 1, 3)
                .write(dir.resolve("inv.aedat"));
        assertArrayEquals(new long[] {1, 2, 3}, reader.read(f).trimmed().t());
        EventStream dropped = new Aedat31Reader(InvalidEvents.DROP).read(f).trimmed();
        assertArrayEquals(new long[] {1, 3}, dropped.t());
        assertArrayEquals(new short[] {1, 3}, dropped.x());
    }

    @Test
    void writerBytesEqualHandAssembledBytes() throws IOException {
        EventStream s = AedatBytes.stream(new long[] {5, 6, (1L << 31) + 7}, new int[] {1, 2, 3},
                new int[] {4, 5, 6}, new int[] {1, 0, 1});
        Path f = dir.resolve("w.aedat");
        new Aedat31Writer().write(f, s);
        byte[] expected = AedatBytes.text(Aedat31Writer.HEADER).polarityPacket(0, 2).polarity(true, 1, 4, 1, 5)
                .polarity(true, 2, 5, 0, 6).polarityPacket(1, 1).polarity(true, 3, 6, 1, 7).bytes();
        assertArrayEquals(expected, Files.readAllBytes(f));
        assertTrue(Aedat31Writer.HEADER.startsWith("#!AER-DAT3.1\r\n"));
        assertTrue(Aedat31Writer.HEADER.endsWith("#!END-HEADER\r\n"));
    }

    @Test
    void writeThenReadWithSpecialPacketsSmallPacketsAndOverflow() throws IOException {
        // steps up to 1e8 us over 400 events: about 9 overflow periods of 2^31 us
        EventStream s = AedatBytes.randomStream(new Random(5), 400, 0, 100_000_000L);
        assertTrue(s.t()[s.size() - 1] > 8 * (1L << 31));
        for (boolean special : new boolean[] {false, true}) {
            Path f = dir.resolve("rt-" + special + ".aedat");
            new Aedat31Writer(7, special).write(f, s);
            assertTrue(s.sameEvents(reader.read(f)), "special " + special);
        }
    }

    @Test
    void largeFileCrossesManyReadWindows() throws IOException {
        EventStream s = AedatBytes.randomStream(new Random(6), 300_000, 0, 3);
        Path f = dir.resolve("big.aedat");
        new Aedat31Writer(1000, true).write(f, s);
        assertTrue(s.sameEvents(reader.read(f)));
    }

    @Test
    void lfHeaderAndHeaderOnlyFiles() throws IOException {
        Path lf = AedatBytes.text("#!AER-DAT3.1\n#Source 1: DVS128\n#!END-HEADER\n").polarityPacket(0, 1)
                .polarity(true, 1, 2, 1, 3).write(dir.resolve("lf.aedat"));
        assertEquals(1, reader.read(lf).size());
        Path headerOnly = AedatBytes.text(AEDAT31_HEADER).write(dir.resolve("h.aedat"));
        assertEquals(0, reader.read(headerOnly).size());
        Path written = dir.resolve("empty.aedat");
        new Aedat31Writer().write(written, AedatBytes.stream(new long[0], new int[0], new int[0], new int[0]));
        assertEquals(0, reader.read(written).size());
    }

    @Test
    void writerRefusesOutOfRangeEvents() {
        Path f = dir.resolve("bad.aedat");
        assertThrows(IllegalArgumentException.class, () -> new Aedat31Writer().write(f,
                AedatBytes.stream(new long[] {-1}, new int[] {0}, new int[] {0}, new int[] {0})));
        assertThrows(IllegalArgumentException.class, () -> new Aedat31Writer(0, false));
    }

    @Test
    void headerErrorsNameFileAndLine() throws IOException {
        Path empty = Files.write(dir.resolve("empty.aedat"), new byte[0]);
        assertFails(AedatFormatException.class, empty, () -> reader.read(empty), "byte 0", "empty file");
        Path none = AedatBytes.text("").polarityPacket(0, 0).write(dir.resolve("none.aedat"));
        assertFails(AedatFormatException.class, none, () -> reader.read(none), "byte 0", "missing header");
        Path v2 = AedatBytes.text("#!AER-DAT2.0\r\n#!END-HEADER\r\n").write(dir.resolve("v2.aedat"));
        assertFails(AedatFormatException.class, v2, () -> reader.read(v2), "line 1", "garbled header");
        Path eof = AedatBytes.text("#!AER-DAT3.1\r\n#Format: RAW\r\n").write(dir.resolve("eof.aedat"));
        assertFails(AedatFormatException.class, eof, () -> reader.read(eof), "line 3", "header never ends");
        Path binary = AedatBytes.text("#!AER-DAT3.1\r\n#Format: RAW\r\n").polarityPacket(0, 0)
                .write(dir.resolve("bin.aedat"));
        assertFails(AedatFormatException.class, binary, () -> reader.read(binary), "line 3", "header never ends");
        Path cut = AedatBytes.text("#!AER-DAT3.1\r\n#!END-HEA").write(dir.resolve("cut.aedat"));
        assertFails(AedatFormatException.class, cut, () -> reader.read(cut), "line 2", "header never ends");
    }

    @Test
    void packetErrorsNameFileAndByteOffset() throws IOException {
        int second = H + 28 + 8; // offset of the packet after one good one-event packet
        expectPacketError(b -> b.raw(new byte[10]), "truncated packet header: 10 bytes left");
        expectPacketError(b -> b.polarityPacket(0, 3).polarity(true, 1, 1, 1, 1).polarity(true, 1, 1, 1, 2),
                "truncated packet: eventNumber * eventSize = 24 bytes, only 16 left");
        expectPacketError(b -> b.packet(1, 8, 4, 0, Integer.MAX_VALUE, Integer.MAX_VALUE, 0),
                "truncated packet: eventNumber * eventSize = " + 8L * Integer.MAX_VALUE);
        expectPacketError(b -> b.packet(2, 1 << 30, 4, 0, 4, 4, 4), "truncated packet");
        expectPacketError(b -> b.packet(2, -8, 4, 0, 1, 1, 1), "negative field");
        expectPacketError(b -> b.packet(1, 8, 4, 0, -1, -1, 0), "negative field");
        expectPacketError(b -> b.packet(5, 0, 4, 0, 2, 2, 2), "eventSize 0 with events");
        expectPacketError(b -> b.packet(1, 8, 4, 0, 1, 2, 2).raw(new byte[16]), "eventCapacity below eventNumber");
        expectPacketError(b -> b.packet(1, 8, 4, 0, 2, 1, 2).raw(new byte[8]), "eventValid above eventNumber");
        expectPacketError(b -> b.packet(1, 12, 4, 0, 1, 1, 1).raw(new byte[12]), "eventSize other than 8");
        expectPacketError(b -> b.packet(1, 8, 0, 0, 1, 1, 1).raw(new byte[8]), "eventTSOffset other than 4");
        expectPacketError(b -> b.packet(1, 8, 4, -1, 1, 1, 1).raw(new byte[8]), "negative eventTSOverflow");
        // event-level errors point at the event, not the packet
        Path neg = good().polarityPacket(0, 1).polarity(true, 1, 1, 1, -5).write(dir.resolve("neg.aedat"));
        assertFails(AedatFormatException.class, neg, () -> reader.read(neg), "byte " + (second + 28), "negative");
        Path out = good().polarityPacket(0, 2).polarity(true, 1, 1, 1, 9).polarity(true, 128, 1, 1, 9)
                .write(dir.resolve("out.aedat"));
        assertFails(AedatFormatException.class, out, () -> reader.read(out), "byte " + (second + 36),
                "x=128, y=1 is outside the 128x128 sensor");
    }

    private static AedatBytes good() {
        return AedatBytes.text(AEDAT31_HEADER).polarityPacket(0, 1).polarity(true, 1, 1, 1, 1);
    }

    private int n;

    private void expectPacketError(java.util.function.UnaryOperator<AedatBytes> tail, String fragment)
            throws IOException {
        Path f = tail.apply(good()).write(dir.resolve("p" + n++ + ".aedat"));
        assertFails(AedatFormatException.class, f, () -> reader.read(f), "byte " + (H + 36), fragment);
    }
}
