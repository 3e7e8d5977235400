package org.revbench.core.data.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.revbench.core.data.event.AedatBytes.assertFails;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two checks a dataset's recordings get: {@code countEvents} (header and block lengths, nothing decoded, what
 * a training run checks first) and {@code validate} (every event decoded, timestamps in order within the
 * tolerance, what {@code data check} runs). Both are the readers' own parsing, so they refuse what {@code read}
 * refuses, with the same message.
 */
class EventFileChecksTest {

    @TempDir
    Path tmp;

    @Test
    void countEventsCountsWithoutDecodingAndRefusesATruncatedEventAsReadDoes() throws IOException {
        int header = AedatBytes.AEDAT2_HEADER.length();
        Path ok = AedatBytes.text(AedatBytes.AEDAT2_HEADER).pair(0, 10).pair(2, 20).pair(4, 30).write(tmp.resolve("ok.aedat"));
        assertEquals(3, new Aedat2Reader().countEvents(ok));

        // high address bits are found only by decoding: the cheap check lets them through, validate does not
        Path high = AedatBytes.text(AedatBytes.AEDAT2_HEADER).pair(0x10000, 10).write(tmp.resolve("high.aedat"));
        assertEquals(1, new Aedat2Reader().countEvents(high));
        assertFails(AedatFormatException.class, high, () -> new Aedat2Reader().validate(high), "byte " + header, "bits 15-31");

        Path cut = AedatBytes.text(AedatBytes.AEDAT2_HEADER).pair(0, 10).raw(new byte[] {1, 2, 3}).write(tmp.resolve("cut.aedat"));
        assertFails(AedatFormatException.class, cut, () -> new Aedat2Reader().countEvents(cut),
                "byte " + (header + 8), "truncated event: 3 trailing bytes");
        assertFails(AedatFormatException.class, cut, () -> new Aedat2Reader().read(cut),
                "byte " + (header + 8), "truncated event: 3 trailing bytes");

        Path garbled = AedatBytes.text("#!AER-DAT3.1\r\n").pair(0, 10).write(tmp.resolve("garbled.aedat"));
        assertFails(AedatFormatException.class, garbled, () -> new Aedat2Reader().countEvents(garbled),
                "line 1", "garbled header");
    }

    @Test
    void countEventsWalksAedat31PacketHeadersAndRefusesAPacketPastTheEnd() throws IOException {
        Path ok = AedatBytes.text(AedatBytes.AEDAT31_HEADER)
                .polarityPacket(0, 2).polarity(true, 1, 2, 1, 10).polarity(false, 3, 4, 0, 20)
                .packet(0, 8, 4, 0, 1, 1, 1).raw(new byte[8]) // a special-event packet: skipped, not counted
                .polarityPacket(0, 1).polarity(true, 5, 6, 1, 30)
                .write(tmp.resolve("ok.aedat"));
        assertEquals(3, new Aedat31Reader().countEvents(ok));
        assertEquals(3, new Aedat31Reader().validate(ok));

        int header = AedatBytes.AEDAT31_HEADER.length();
        Path cut = AedatBytes.text(AedatBytes.AEDAT31_HEADER)
                .polarityPacket(0, 1).polarity(true, 1, 2, 1, 10)
                .polarityPacket(0, 3).polarity(true, 1, 2, 1, 20) // declares 3 events, holds 1
                .write(tmp.resolve("cut.aedat"));
        String place = "byte " + (header + 28 + 8);
        assertFails(AedatFormatException.class, cut, () -> new Aedat31Reader().countEvents(cut), place,
                "truncated packet: eventNumber * eventSize = 24 bytes, only 8 left");
        assertFails(AedatFormatException.class, cut, () -> new Aedat31Reader().read(cut), place,
                "truncated packet: eventNumber * eventSize = 24 bytes, only 8 left");
    }

    @Test
    void validateAcceptsStepsBackWithinTheToleranceAndRefusesLargerOnes() throws IOException {
        long tol = TimestampOrder.TOLERANCE_US;
        // from the latest time so far, not the previous event: 5000 -> 4500 -> 4000 is 1000 back in all
        Path jitter = AedatBytes.text(AedatBytes.AEDAT2_HEADER).pair(0, 100).pair(0, 5000).pair(0, 4500)
                .pair(0, 5000 - tol).pair(0, 6000).write(tmp.resolve("jitter.aedat"));
        assertEquals(5, new Aedat2Reader().validate(jitter));

        Path back = AedatBytes.text(AedatBytes.AEDAT2_HEADER).pair(0, 100).pair(0, 5000).pair(0, 4600)
                .pair(0, 5000 - tol - 1).write(tmp.resolve("back.aedat"));
        assertEquals(4, new Aedat2Reader().read(back).size(), "reading keeps the events as recorded");
        assertFails(AedatFormatException.class, back, () -> new Aedat2Reader().validate(back), "(event 3)",
                "timestamp 3999 us is 1001 us before the latest earlier timestamp 5000 us");

        Path back31 = AedatBytes.text(AedatBytes.AEDAT31_HEADER).polarityPacket(0, 2).polarity(true, 1, 1, 1, 90_000)
                .polarity(true, 1, 1, 1, 10).write(tmp.resolve("back31.aedat"));
        assertFails(AedatFormatException.class, back31, () -> new Aedat31Reader().validate(back31), "(event 1)",
                "89990 us before");
    }

    @Test
    void writtenStreamsPassBothChecks() throws IOException {
        var events = AedatBytes.randomStream(new Random(7), 5000, 0, 50);
        Path a2 = tmp.resolve("w2.aedat");
        new Aedat2Writer().write(a2, events);
        assertEquals(5000, new Aedat2Reader().countEvents(a2));
        assertEquals(5000, new Aedat2Reader().validate(a2));
        Path a31 = tmp.resolve("w31.aedat");
        new Aedat31Writer(512, true).write(a31, events);
        assertEquals(5000, new Aedat31Reader().countEvents(a31));
        assertEquals(5000, new Aedat31Reader().validate(a31));
    }
}
