package org.revbench.core.data.event;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.revbench.core.data.EventStream;

/**
 * Writes AEDAT 3.1 as cAER does: CRLF header lines from {@code #!AER-DAT3.1} to {@code #!END-HEADER}, then
 * polarity packets (type 1, source 1, eventSize 8, eventTSOffset 4, capacity = number = valid), every event marked
 * valid. A packet holds at most {@code maxPacketEvents} events, all of one 2^31 us overflow period, since a packet
 * has a single eventTSOverflow. With {@code specialEvents}, a special-event packet (type 0) comes first (one
 * TIMESTAMP_RESET) and before each new overflow period (one TIMESTAMP_WRAP), as a camera produces them; readers
 * skip them.
 */
public final class Aedat31Writer {
    public static final int DEFAULT_PACKET_EVENTS = 4096;
    static final String HEADER = AedatHeader.AEDAT31_VERSION + "\r\n"
            + "#Format: RAW\r\n"
            + "#Source 1: DVS128\r\n"
            + "#Start-Time: 2017-01-01 00:00:00 (TZ+0000)\r\n"
            + AedatHeader.END_HEADER + "\r\n";
    static final short SPECIAL_EVENT = 0;
    static final int TIMESTAMP_WRAP = 0;
    static final int TIMESTAMP_RESET = 1;

    private final int maxPacketEvents;
    private final boolean specialEvents;

    public Aedat31Writer() {
        this(DEFAULT_PACKET_EVENTS, false);
    }

    public Aedat31Writer(int maxPacketEvents, boolean specialEvents) {
        if (maxPacketEvents < 1) {
            throw new IllegalArgumentException("maxPacketEvents " + maxPacketEvents);
        }
        this.maxPacketEvents = maxPacketEvents;
        this.specialEvents = specialEvents;
    }

    /** Writes {@code events} (coordinates 0-32767, polarity 0/1, times 0 to 2^62) to {@code file}, replacing it. */
    public void write(Path file, EventStream events) throws IOException {
        check(events);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bb = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            bb.put(HEADER.getBytes(StandardCharsets.US_ASCII));
            long[] t = events.t();
            int i = 0;
            long period = -1;
            if (specialEvents) {
                int first = events.size() == 0 ? 0 : (int) (t[0] >>> 31);
                special(ch, bb, TIMESTAMP_RESET, first);
                period = first;
            }
            while (i < events.size()) {
                long overflow = t[i] >>> 31;
                if (specialEvents && overflow != period) {
                    special(ch, bb, TIMESTAMP_WRAP, (int) overflow);
                }
                period = overflow;
                int n = 1;
                while (i + n < events.size() && n < maxPacketEvents && t[i + n] >>> 31 == overflow) {
                    n++;
                }
                ensure(ch, bb, Aedat31Reader.PACKET_HEADER_BYTES);
                header(bb, Aedat31Reader.POLARITY_EVENT, (int) overflow, n);
                for (int k = i; k < i + n; k++) {
                    ensure(ch, bb, Aedat31Reader.POLARITY_EVENT_BYTES);
                    int data = events.x()[k] << 17 | events.y()[k] << 2 | events.p()[k] << 1 | 1;
                    bb.putInt(data).putInt((int) (t[k] & 0x7FFFFFFFL));
                }
                i += n;
            }
            Aedat2Writer.drain(ch, bb);
        }
    }

    private static void check(EventStream events) {
        for (int i = 0; i < events.size(); i++) {
            long t = events.t()[i];
            int x = events.x()[i];
            int y = events.y()[i];
            int p = events.p()[i];
            if (t < 0 || t >>> 62 != 0 || x < 0 || y < 0 || (p != 0 && p != 1)) {
                throw new IllegalArgumentException(
                        "event " + i + " (t=" + t + ", x=" + x + ", y=" + y + ", p=" + p + ") out of range");
            }
        }
    }

    private static void special(FileChannel ch, ByteBuffer bb, int specialType, int overflow) throws IOException {
        ensure(ch, bb, Aedat31Reader.PACKET_HEADER_BYTES + 8);
        header(bb, SPECIAL_EVENT, overflow, 1);
        // special event data: bit 0 valid, bits 1-7 the special type, bits 8-31 its payload
        bb.putInt(specialType << 1 | 1).putInt(0);
    }

    private static void header(ByteBuffer bb, short type, int overflow, int number) {
        bb.putShort(type).putShort((short) 1).putInt(8).putInt(Aedat31Reader.POLARITY_TS_OFFSET).putInt(overflow)
                .putInt(number).putInt(number).putInt(number);
    }

    private static void ensure(FileChannel ch, ByteBuffer bb, int bytes) throws IOException {
        if (bb.remaining() < bytes) {
            Aedat2Writer.drain(ch, bb);
        }
    }
}
