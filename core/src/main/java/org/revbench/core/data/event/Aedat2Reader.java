package org.revbench.core.data.event;

import static org.revbench.core.data.DatasetFormatException.atByte;

import java.io.IOException;
import java.nio.file.Path;
import org.revbench.core.data.EventStream;

/**
 * Reads AEDAT 2.0 (jAER, DVS128; the CIFAR10-DVS files). Layout (docs/architecture.md, Datasets and file formats): a
 * {@code '#'} text header whose first line is {@code #!AER-DAT2.0}, then big-endian pairs
 * {@code u32 address, u32 timestamp (us)}; address bit 0 is the polarity, bits 1-7 x', bits 8-14 y' on a 128x128
 * sensor.
 *
 * <p>Axes: {@link Mapping#SPIKINGJELLY} (default) gives {@code x = 127 - y', y = 127 - x', p = 1 - bit0}, as
 * SpikingJelly's {@code cifar10_dvs._load_origin_data} does; {@link Mapping#RAW} gives the address fields as they
 * are. Address bits 15-31 are not events of a DVS128; SpikingJelly masks them away silently, this reader refuses
 * them unless built with {@link HighBits#IGNORE}.
 *
 * <p>Timestamps are u32 microseconds, so a recording longer than 2^32 us (71.6 minutes) wraps. A drop of more
 * than 2^31 us from the previous event is taken as a wrap and unwrapped (2^32 added from there on); a smaller drop
 * is kept as recorded (jAER recordings can step back by a few microseconds; that is not a wrap). SpikingJelly does
 * not unwrap; CIFAR10-DVS recordings last about a second, so the two agree on it.
 */
public final class Aedat2Reader implements EventFileReader {
    public static final int WIDTH = 128;
    public static final int HEIGHT = 128;
    /** Bytes per event: u32 address, u32 timestamp. */
    public static final int EVENT_BYTES = 8;
    /** The largest stream an {@link EventStream} (int-indexed arrays) can hold. */
    static final int MAX_EVENTS = Integer.MAX_VALUE - 8;
    static final long WRAP = 1L << 32;
    static final long WRAP_DROP = 1L << 31;

    /** How address fields become coordinates and polarity. */
    public enum Mapping {
        /** {@code x = 127 - y', y = 127 - x', p = 1 - bit0} (SpikingJelly's CIFAR10-DVS loader). */
        SPIKINGJELLY,
        /** {@code x = x', y = y', p = bit0}. */
        RAW
    }

    /** What to do with address bits 15-31, which a DVS128 polarity event never sets. */
    public enum HighBits {
        /** Fail with an {@link AedatFormatException} naming the event's byte offset. */
        REJECT,
        /** Mask them away as SpikingJelly does. */
        IGNORE
    }

    private final Mapping mapping;
    private final HighBits highBits;

    /** SpikingJelly's axes, high address bits refused. */
    public Aedat2Reader() {
        this(Mapping.SPIKINGJELLY, HighBits.REJECT);
    }

    public Aedat2Reader(Mapping mapping) {
        this(mapping, HighBits.REJECT);
    }

    public Aedat2Reader(Mapping mapping, HighBits highBits) {
        this.mapping = mapping;
        this.highBits = highBits;
    }

    public Mapping mapping() { return mapping; }

    public HighBits highBits() { return highBits; }

    @Override
    public EventStream read(Path file) throws IOException {
        try (ChunkedInput in = ChunkedInput.open(file)) {
            AedatHeader.skipAedat2(in);
            long events = eventBlock(in);
            EventStream.Builder out = new EventStream.Builder(WIDTH, HEIGHT);
            out.ensure((int) events);
            parse(in, events, out);
            return out.build();
        }
    }

    /** The header and the event block's length; address bits and timestamps are not decoded. */
    @Override
    public long countEvents(Path file) throws IOException {
        try (ChunkedInput in = ChunkedInput.open(file)) {
            AedatHeader.skipAedat2(in);
            return eventBlock(in);
        }
    }

    /** The number of events after the header; refuses a block that is not whole events or too many for a stream. */
    private static long eventBlock(ChunkedInput in) throws AedatFormatException {
        long bytes = in.remaining();
        if (bytes % EVENT_BYTES != 0) {
            long at = in.offset() + bytes - bytes % EVENT_BYTES;
            throw new AedatFormatException(in.file, atByte(at), "truncated event: " + bytes % EVENT_BYTES
                    + " trailing bytes, an event is 8 (u32 address, u32 timestamp)");
        }
        long events = bytes / EVENT_BYTES;
        if (events > MAX_EVENTS) {
            throw new AedatFormatException(in.file, atByte(in.offset()),
                    events + " events, more than one event stream holds (" + MAX_EVENTS + ")");
        }
        return events;
    }

    private void parse(ChunkedInput in, long events, EventStream.Builder out) throws IOException {
        final boolean sj = mapping == Mapping.SPIKINGJELLY;
        final boolean reject = highBits == HighBits.REJECT;
        long left = events;
        long epoch = 0;
        long prevRaw = 0;
        while (left > 0) {
            int count = (int) Math.min(left, in.fill(EVENT_BYTES) / EVENT_BYTES);
            if (count == 0) { // unreachable after the length check in read; a guard against looping forever
                throw new AedatFormatException(in.file, atByte(in.offset()), "truncated event");
            }
            byte[] b = in.buf;
            int i = in.pos;
            for (int k = 0; k < count; k++, i += EVENT_BYTES) {
                int addr = (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
                long raw = ((b[i + 4] & 0xFF) << 24 | (b[i + 5] & 0xFF) << 16 | (b[i + 6] & 0xFF) << 8
                        | (b[i + 7] & 0xFF)) & 0xFFFFFFFFL;
                if (reject && (addr & 0xFFFF8000) != 0) {
                    throw new AedatFormatException(in.file, atByte(in.offsetOf(i)), String.format(
                            "address 0x%08x sets bits 15-31, which no DVS128 polarity event has (read with "
                                    + "HighBits.IGNORE to mask them as SpikingJelly does)", addr));
                }
                if (prevRaw - raw > WRAP_DROP) {
                    epoch += WRAP;
                }
                prevRaw = raw;
                int bit0 = addr & 1;
                int xr = (addr >>> 1) & 0x7F;
                int yr = (addr >>> 8) & 0x7F;
                if (sj) {
                    out.add(epoch + raw, 127 - yr, 127 - xr, 1 - bit0);
                } else {
                    out.add(epoch + raw, xr, yr, bit0);
                }
            }
            in.pos = i;
            left -= count;
        }
    }
}
