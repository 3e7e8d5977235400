package org.revbench.core.data.event;

import static org.revbench.core.data.DatasetFormatException.atByte;

import java.io.IOException;

/**
 * One AEDAT 3.1 packet header (28 bytes, little-endian), read and checked against the rest of the file before any
 * of its events are touched, so a corrupt count can neither allocate nor run past the end.
 */
record PacketHeader(long offset, short type, short source, int size, int tsOffset, int overflow, int capacity,
        int number, int valid) {

    long payloadBytes() { return (long) size * number; }

    static PacketHeader read(ChunkedInput in) throws IOException {
        long at = in.offset();
        long left = in.remaining();
        if (left < Aedat31Reader.PACKET_HEADER_BYTES) {
            throw new AedatFormatException(in.file, atByte(at), "truncated packet header: " + left
                    + " bytes left, a header is " + Aedat31Reader.PACKET_HEADER_BYTES);
        }
        in.fill(Aedat31Reader.PACKET_HEADER_BYTES);
        byte[] b = in.buf;
        int i = in.pos;
        PacketHeader h = new PacketHeader(at, (short) le16(b, i), (short) le16(b, i + 2), le32(b, i + 4),
                le32(b, i + 8), le32(b, i + 12), le32(b, i + 16), le32(b, i + 20), le32(b, i + 24));
        in.pos += Aedat31Reader.PACKET_HEADER_BYTES;
        h.check(in);
        return h;
    }

    private void check(ChunkedInput in) throws AedatFormatException {
        String problem = null;
        if (size < 0 || number < 0 || capacity < 0 || valid < 0) {
            problem = "negative field";
        } else if (size == 0 && number > 0) {
            problem = "eventSize 0 with events";
        } else if (capacity < number) {
            problem = "eventCapacity below eventNumber";
        } else if (valid > number) {
            problem = "eventValid above eventNumber";
        } else if (type == Aedat31Reader.POLARITY_EVENT && size != Aedat31Reader.POLARITY_EVENT_BYTES) {
            problem = "polarity packet with eventSize other than " + Aedat31Reader.POLARITY_EVENT_BYTES;
        } else if (type == Aedat31Reader.POLARITY_EVENT && tsOffset != Aedat31Reader.POLARITY_TS_OFFSET) {
            problem = "polarity packet with eventTSOffset other than " + Aedat31Reader.POLARITY_TS_OFFSET;
        } else if (type == Aedat31Reader.POLARITY_EVENT && overflow < 0) {
            problem = "negative eventTSOverflow";
        } else if (payloadBytes() > in.remaining()) {
            problem = "truncated packet: eventNumber * eventSize = " + payloadBytes() + " bytes, only "
                    + in.remaining() + " left in the file";
        }
        if (problem != null) {
            throw new AedatFormatException(in.file, atByte(offset),
                    "bad packet header: " + problem + " (" + fields() + ")");
        }
    }

    private String fields() {
        return "type " + type + ", source " + source + ", eventSize " + size + ", eventTSOffset " + tsOffset
                + ", eventTSOverflow " + overflow + ", eventCapacity " + capacity + ", eventNumber " + number
                + ", eventValid " + valid;
    }

    static int le16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    static int le32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
