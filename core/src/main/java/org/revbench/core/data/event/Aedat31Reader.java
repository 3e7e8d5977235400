package org.revbench.core.data.event;

import static org.revbench.core.data.DatasetFormatException.atByte;

import java.io.IOException;
import java.nio.file.Path;
import org.revbench.core.data.EventStream;

/**
 * Reads AEDAT 3.1 (cAER/jAER; the DVS128 Gesture trials). Layout (docs/architecture.md, Datasets and file formats):
 * text header lines up to {@code #!END-HEADER}, then packets, each a 28-byte little-endian header (i16 eventType, i16
 * eventSource, i32 eventSize, i32 eventTSOffset, i32 eventTSOverflow, i32 eventCapacity, i32 eventNumber, i32
 * eventValid) and {@code eventNumber * eventSize} bytes of events. Polarity events (type 1, 8 bytes): u32 data (bit 0
 * valid, bit 1 polarity, y = bits 2-16, x = bits 17-31) and i32 timestamp; {@code t = ts | overflow << 31} (timestamps
 * have 31 significant bits). Other packet types (special events, frames, IMU) are skipped by their declared size; empty
 * packets are legal.
 *
 * <p>Invalid events (valid bit 0) are kept by default, as SpikingJelly's {@code utils.load_aedat_v3} keeps them
 * (it never reads the valid bit); {@link InvalidEvents#DROP} leaves them out.
 *
 * <p>Refused, with the byte offset of the packet or event: a truncated packet header or event payload; eventSize,
 * eventNumber, eventCapacity or eventValid negative; eventSize 0 with events; {@code eventSize * eventNumber}
 * beyond the end of the file (checked before anything is allocated); eventCapacity below eventNumber; eventValid
 * above eventNumber; a polarity packet with eventSize other than 8, eventTSOffset other than 4 or a negative
 * overflow; a negative (32-bit) polarity timestamp; coordinates outside the sensor. On the file the data that
 * follows a header is {@code eventNumber * eventSize} bytes (cAER writes eventCapacity = eventNumber; jAER's
 * AEDAT 3 parser relies on it). SpikingJelly instead reads {@code eventCapacity * eventSize} bytes, which is the same
 * on such files and differs on a file where capacity exceeds the number.
 */
public final class Aedat31Reader implements EventFileReader {
    public static final int PACKET_HEADER_BYTES = 28;
    public static final short POLARITY_EVENT = 1;
    public static final int POLARITY_EVENT_BYTES = 8;
    /** Byte offset of the timestamp inside a polarity event. */
    public static final int POLARITY_TS_OFFSET = 4;

    /** What to do with events whose valid bit (bit 0) is 0. */
    public enum InvalidEvents {
        /** Keep them (SpikingJelly). */
        KEEP,
        /** Leave them out. */
        DROP
    }

    private final InvalidEvents invalid;
    private final int width;
    private final int height;

    /** Keeps invalid events, 128x128 (DVS128). */
    public Aedat31Reader() {
        this(InvalidEvents.KEEP, 128, 128);
    }

    public Aedat31Reader(InvalidEvents invalid) {
        this(invalid, 128, 128);
    }

    /** A reader for a sensor of {@code width x height}; events outside it are refused. */
    public Aedat31Reader(InvalidEvents invalid, int width, int height) {
        if (width < 1 || height < 1 || width > 32768 || height > 32768) {
            throw new IllegalArgumentException("sensor " + width + "x" + height + " (15-bit coordinates)");
        }
        this.invalid = invalid;
        this.width = width;
        this.height = height;
    }

    public InvalidEvents invalidEvents() { return invalid; }

    @Override
    public EventStream read(Path file) throws IOException {
        try (ChunkedInput in = ChunkedInput.open(file)) {
            AedatHeader.skipAedat31(in);
            EventStream.Builder out = new EventStream.Builder(width, height);
            // a DVS128 recording is almost all polarity packets, so this bound is close to the real count and
            // saves the builder's repeated doubling; it is bounded by the file size, never by a declared field
            out.ensure((int) Math.min(in.remaining() / POLARITY_EVENT_BYTES, Aedat2Reader.MAX_EVENTS));
            while (in.remaining() > 0) {
                PacketHeader h = PacketHeader.read(in);
                if (h.type() == POLARITY_EVENT) {
                    if ((long) out.size() + h.number() > Aedat2Reader.MAX_EVENTS) {
                        throw new AedatFormatException(file, atByte(h.offset()),
                                "more events than one event stream holds (" + Aedat2Reader.MAX_EVENTS + ")");
                    }
                    out.ensure(h.number());
                    parsePolarity(in, h, out);
                } else {
                    in.skip(h.payloadBytes());
                }
            }
            EventStream s = out.build();
            // a file with many non-polarity bytes leaves the bound far above the count: do not keep that slack
            return s.t().length - s.size() > s.size() / 8 + 1024 ? s.trimmed() : s;
        }
    }

    /**
     * The header and every packet header, each checked against the file's length as {@link #read} checks it, the
     * payloads skipped; returns the number of polarity events the packets declare (invalid ones included).
     */
    @Override
    public long countEvents(Path file) throws IOException {
        try (ChunkedInput in = ChunkedInput.open(file)) {
            AedatHeader.skipAedat31(in);
            long events = 0;
            while (in.remaining() > 0) {
                PacketHeader h = PacketHeader.read(in);
                if (h.type() == POLARITY_EVENT) {
                    events += h.number();
                    if (events > Aedat2Reader.MAX_EVENTS) {
                        throw new AedatFormatException(file, atByte(h.offset()),
                                "more events than one event stream holds (" + Aedat2Reader.MAX_EVENTS + ")");
                    }
                }
                in.skip(h.payloadBytes());
            }
            return events;
        }
    }

    private void parsePolarity(ChunkedInput in, PacketHeader h, EventStream.Builder out) throws IOException {
        final boolean drop = invalid == InvalidEvents.DROP;
        final long high = (long) h.overflow() << 31;
        int left = h.number();
        while (left > 0) {
            int count = Math.min(left, in.fill(POLARITY_EVENT_BYTES) / POLARITY_EVENT_BYTES);
            if (count == 0) { // unreachable after PacketHeader's size check; a guard against looping forever
                throw new AedatFormatException(in.file, atByte(in.offset()), "truncated polarity event");
            }
            byte[] b = in.buf;
            int i = in.pos;
            for (int k = 0; k < count; k++, i += POLARITY_EVENT_BYTES) {
                int data = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
                int ts = (b[i + 4] & 0xFF) | (b[i + 5] & 0xFF) << 8 | (b[i + 6] & 0xFF) << 16 | (b[i + 7] & 0xFF) << 24;
                if (drop && (data & 1) == 0) {
                    continue;
                }
                int y = (data >>> 2) & 0x7FFF;
                int x = (data >>> 17) & 0x7FFF;
                if (ts < 0 || x >= width || y >= height) {
                    throw badEvent(in, i, ts, x, y);
                }
                out.add(high | ts, x, y, (data >>> 1) & 1);
            }
            in.pos = i;
            left -= count;
        }
    }

    private AedatFormatException badEvent(ChunkedInput in, int i, int ts, int x, int y) {
        String problem = ts < 0
                ? "polarity event timestamp " + ts + " is negative (timestamps have 31 bits, the rest is overflow)"
                : "polarity event at x=" + x + ", y=" + y + " is outside the " + width + "x" + height + " sensor";
        return new AedatFormatException(in.file, atByte(in.offsetOf(i)), problem);
    }
}
