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
 * Writes AEDAT 2.0 as jAER does (CRLF header lines beginning {@code #!AER-DAT2.0}, big-endian {@code u32 address,
 * u32 timestamp}), applying the inverse of the reader's {@link Aedat2Reader.Mapping}, so that
 * {@code new Aedat2Reader(m).read(file)} gives back the same events. Timestamps are written modulo 2^32; an event
 * whose time the reader could not unwrap back (a step back across a wrap, or a forward gap of 2^31 us or more
 * across one) is refused rather than written wrong.
 */
public final class Aedat2Writer {
    static final String HEADER = AedatHeader.AEDAT2_VERSION + "\r\n"
            + "# This is a raw AE data file - do not edit\r\n"
            + "# Data format is int32 address, int32 timestamp (8 bytes total), repeated for each event\r\n"
            + "# Timestamps tick is 1 us\r\n"
            + "# created by RevBench Aedat2Writer\r\n"
            + "# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n";

    private final Aedat2Reader.Mapping mapping;

    public Aedat2Writer() {
        this(Aedat2Reader.Mapping.SPIKINGJELLY);
    }

    public Aedat2Writer(Aedat2Reader.Mapping mapping) {
        this.mapping = mapping;
    }

    /** Writes {@code events} (a 128x128 stream, polarity 0/1, times >= 0) to {@code file}, replacing it. */
    public void write(Path file, EventStream events) throws IOException {
        if (events.width() != Aedat2Reader.WIDTH || events.height() != Aedat2Reader.HEIGHT) {
            throw new IllegalArgumentException("AEDAT 2.0 (DVS128) holds 128x128 streams, not "
                    + events.width() + "x" + events.height());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bb = ByteBuffer.allocate(1 << 20).order(ByteOrder.BIG_ENDIAN);
            bb.put(HEADER.getBytes(StandardCharsets.US_ASCII));
            long epoch = 0;
            long prevRaw = 0;
            for (int i = 0; i < events.size(); i++) {
                long t = events.t()[i];
                int x = events.x()[i];
                int y = events.y()[i];
                int p = events.p()[i];
                if (t < 0 || x < 0 || x > 127 || y < 0 || y > 127 || (p != 0 && p != 1)) {
                    throw new IllegalArgumentException(
                            "event " + i + " (t=" + t + ", x=" + x + ", y=" + y + ", p=" + p + ") out of range");
                }
                long raw = t & 0xFFFFFFFFL;
                // the reader's unwrapping rule, run here so that what is written reads back the same
                if (prevRaw - raw > Aedat2Reader.WRAP_DROP) {
                    epoch += Aedat2Reader.WRAP;
                }
                prevRaw = raw;
                if (epoch + raw != t) {
                    throw new IllegalArgumentException("event " + i + ": time " + t + " us would read back as "
                            + (epoch + raw) + " (u32 timestamps: only steps back within one 2^32 us period, and "
                            + "gaps below 2^31 us, survive)");
                }
                // inverse of x = 127 - y', y = 127 - x', p = 1 - bit0: y' = 127 - x, x' = 127 - y
                int addr = mapping == Aedat2Reader.Mapping.SPIKINGJELLY
                        ? (127 - x) << 8 | (127 - y) << 1 | (1 - p)
                        : y << 8 | x << 1 | p;
                if (bb.remaining() < Aedat2Reader.EVENT_BYTES) {
                    drain(ch, bb);
                }
                bb.putInt(addr).putInt((int) raw);
            }
            drain(ch, bb);
        }
    }

    static void drain(FileChannel ch, ByteBuffer bb) throws IOException {
        bb.flip();
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
        bb.clear();
    }
}
