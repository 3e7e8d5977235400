package org.revbench.core.data.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.core.data.event.AedatBytes.AEDAT2_HEADER;
import static org.revbench.core.data.event.AedatBytes.assertFails;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.event.Aedat2Reader.HighBits;
import org.revbench.core.data.event.Aedat2Reader.Mapping;

class Aedat2Test {
    @TempDir
    Path dir;

    final Aedat2Reader sj = new Aedat2Reader();
    final Aedat2Reader raw = new Aedat2Reader(Mapping.RAW);

    @Test
    void handAssembledEventsMapAsSpikingJellyOrRaw() throws IOException {
        // x' = 3, y' = 5, polarity bit 1; x' = 127, y' = 0, bit 0
        Path f = AedatBytes.text(AEDAT2_HEADER).pair(5 << 8 | 3 << 1 | 1, 10).pair(127 << 1, 20)
                .write(dir.resolve("a"));
        EventStream s = sj.read(f);
        assertEquals(2, s.size());
        assertArrayEquals(new long[] {10, 20}, s.trimmed().t());
        // SpikingJelly: x = 127 - y', y = 127 - x', p = 1 - bit0
        assertArrayEquals(new short[] {122, 127}, s.trimmed().x());
        assertArrayEquals(new short[] {124, 0}, s.trimmed().y());
        assertArrayEquals(new byte[] {0, 1}, s.trimmed().p());
        EventStream r = raw.read(f);
        assertArrayEquals(new short[] {3, 127}, r.trimmed().x());
        assertArrayEquals(new short[] {5, 0}, r.trimmed().y());
        assertArrayEquals(new byte[] {1, 0}, r.trimmed().p());
        assertEquals(128, r.width());
        assertEquals(128, r.height());
    }

    @Test
    void writerBytesEqualHandAssembledBytes() throws IOException {
        EventStream s = AedatBytes.stream(new long[] {7, 9}, new int[] {122, 127}, new int[] {124, 0},
                new int[] {0, 1});
        Path f = dir.resolve("w.aedat");
        new Aedat2Writer().write(f, s);
        byte[] expected = AedatBytes.text(Aedat2Writer.HEADER).pair(5 << 8 | 3 << 1 | 1, 7).pair(127 << 1, 9).bytes();
        assertArrayEquals(expected, Files.readAllBytes(f));
        assertTrue(Aedat2Writer.HEADER.startsWith("#!AER-DAT2.0\r\n"));
    }

    @Test
    void writeThenReadGivesTheSameEventsForBothMappings() throws IOException {
        EventStream s = AedatBytes.randomStream(new Random(1), 50_000, 0, 40);
        for (Mapping m : Mapping.values()) {
            Path f = dir.resolve("rt-" + m + ".aedat");
            new Aedat2Writer(m).write(f, s);
            EventStream back = new Aedat2Reader(m).read(f);
            assertTrue(s.sameEvents(back), m.toString());
        }
    }

    @Test
    void largeFileCrossesManyReadWindows() throws IOException {
        // 300k events = 2.4 MB: more than two 1 MiB windows, with a pair split across window borders
        EventStream s = AedatBytes.randomStream(new Random(2), 300_000, 5, 3);
        Path f = dir.resolve("big.aedat");
        new Aedat2Writer().write(f, s);
        assertTrue(s.sameEvents(sj.read(f)));
    }

    @Test
    void lfAndCrlfHeaderLinesAndHeaderOnlyFiles() throws IOException {
        Path lf = AedatBytes.text("#!AER-DAT2.0\n# comment\n").pair(0, 1).write(dir.resolve("lf"));
        assertEquals(1, raw.read(lf).size());
        Path mixed = AedatBytes.text("#!AER-DAT2.0\r\n# a\n# b\r\n").pair(2, 3).write(dir.resolve("mixed"));
        assertEquals(1, raw.read(mixed).size());
        Path headerOnly = AedatBytes.text(AEDAT2_HEADER).write(dir.resolve("empty"));
        assertEquals(0, sj.read(headerOnly).size());
        Path versionOnly = AedatBytes.text("#!AER-DAT2.0\r\n").write(dir.resolve("v"));
        assertEquals(0, sj.read(versionOnly).size());
    }

    @Test
    void u32TimestampWrapIsUnwrappedAndSmallStepsBackAreKept() throws IOException {
        long top = 0xFFFFFFFFL;
        Path f = AedatBytes.text(AEDAT2_HEADER).pair(0, top - 300).pair(0, top).pair(0, 5).pair(0, 100).pair(0, 90)
                .pair(0, 0x90000000L).pair(0, 3).write(dir.resolve("wrap"));
        long w = 1L << 32;
        assertArrayEquals(new long[] {top - 300, top, w + 5, w + 100, w + 90, w + 0x90000000L, 2 * w + 3},
                raw.read(f).trimmed().t());
    }

    @Test
    void writerRoundTripsStreamsLongerThan2To32Microseconds() throws IOException {
        // steps up to 1.5e9 us (below 2^31): 200 events span about 35 wraps of 2^32 us
        EventStream s = AedatBytes.randomStream(new Random(3), 200, 0, 1_500_000_000L);
        assertTrue(s.t()[s.size() - 1] > 10 * (1L << 32));
        Path f = dir.resolve("long.aedat");
        new Aedat2Writer().write(f, s);
        assertTrue(s.sameEvents(sj.read(f)));
    }

    @Test
    void writerRefusesWhatCannotReadBack() {
        Path f = dir.resolve("bad.aedat");
        Aedat2Writer w = new Aedat2Writer();
        long beforeWrap = (1L << 32) - 10;
        assertThrows(IllegalArgumentException.class, () -> w.write(f, AedatBytes.stream(
                new long[] {beforeWrap, beforeWrap + (1L << 31) + 20}, new int[] {0, 0}, new int[] {0, 0},
                new int[] {0, 0})), "a gap above 2^31 us across a wrap");
        assertThrows(IllegalArgumentException.class, () -> w.write(f, AedatBytes.stream(
                new long[] {(1L << 32) - 100, (1L << 32) + 5, (1L << 32) - 5}, new int[] {0, 0, 0},
                new int[] {0, 0, 0}, new int[] {0, 0, 0})),
                "a step back across a wrap");
        assertThrows(IllegalArgumentException.class, () -> w.write(f,
                AedatBytes.stream(new long[] {1L << 32}, new int[] {0}, new int[] {0}, new int[] {0})),
                "a first event after the first wrap");
        assertThrows(IllegalArgumentException.class, () -> w.write(f,
                AedatBytes.stream(new long[] {0}, new int[] {0}, new int[] {0}, new int[] {2})));
        assertThrows(IllegalArgumentException.class, () -> w.write(f,
                new EventStream(new long[1], new short[1], new short[1], new byte[1], 1, 64, 64)));
    }

    @Test
    void errorsNameFileAndPlace() throws IOException {
        Path empty = Files.write(dir.resolve("empty.aedat"), new byte[0]);
        assertFails(AedatFormatException.class, empty, () -> sj.read(empty), "byte 0", "empty file");

        Path noHeader = AedatBytes.text("").pair(0, 1).write(dir.resolve("nohead.aedat"));
        assertFails(AedatFormatException.class, noHeader, () -> sj.read(noHeader), "byte 0", "missing header");

        Path garbled = AedatBytes.text("#!AER-DAT3.1\r\n").pair(0, 1).write(dir.resolve("garbled.aedat"));
        assertFails(AedatFormatException.class, garbled, () -> sj.read(garbled), "line 1", "garbled header");

        Path never = AedatBytes.text("#!AER-DAT2.0\r\n# no line end").write(dir.resolve("never.aedat"));
        assertFails(AedatFormatException.class, never, () -> sj.read(never), "line 2", "header never ends");

        Path control = Files.write(dir.resolve("ctl.aedat"),
                "#!AER-DAT2.0\r\n# bad \u0001 byte\r\n".getBytes(StandardCharsets.US_ASCII));
        assertFails(AedatFormatException.class, control, () -> sj.read(control), "line 2", "control byte 0x01");

        int h = AEDAT2_HEADER.length();
        Path truncated = AedatBytes.text(AEDAT2_HEADER).pair(0, 1).pair(0, 2).raw(new byte[5]).write(dir.resolve("t"));
        assertFails(AedatFormatException.class, truncated, () -> sj.read(truncated),
                "byte " + (h + 16), "truncated event: 5 trailing bytes");

        Path high = AedatBytes.text(AEDAT2_HEADER).pair(0, 1).pair(1 << 15, 2).write(dir.resolve("high"));
        assertFails(AedatFormatException.class, high, () -> sj.read(high), "byte " + (h + 8), "bits 15-31");
        assertEquals(2, new Aedat2Reader(Mapping.SPIKINGJELLY, HighBits.IGNORE).read(high).size());
    }
}
