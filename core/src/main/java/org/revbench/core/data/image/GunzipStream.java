package org.revbench.core.data.image;

import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses a whole gzip file held in memory (RFC 1952), strictly: header flags, CRC32 and length of every
 * member are checked, concatenated members are read in turn, and anything after the last member is an error.
 * {@link java.util.zip.GZIPInputStream} is not used because it silently ignores trailing bytes that do not form a
 * header, and its errors do not say where in the file they were found; these do ({@link CorruptGzipException}).
 */
final class GunzipStream extends InputStream {

    private static final int ID1 = 0x1f;
    private static final int ID2 = 0x8b;
    private static final int DEFLATE = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED_FLAGS = 0xE0;
    private static final int HEADER_BYTES = 10;
    private static final int TRAILER_BYTES = 8;

    /** A gzip error and the offset in the compressed file where it was found. */
    static final class CorruptGzipException extends ZipException {
        private static final long serialVersionUID = 1L;
        private final long offset;

        CorruptGzipException(long offset, String message) {
            super(message);
            this.offset = offset;
        }

        long offset() { return offset; }
    }

    private final byte[] raw;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberBytes;
    private boolean eof;

    GunzipStream(byte[] raw) throws CorruptGzipException {
        this.raw = raw;
        startMember(0);
    }

    /** Whether {@code head} starts with the gzip magic bytes 1f 8b. */
    static boolean hasMagic(byte[] head, int length) {
        return length >= 2 && (head[0] & 0xFF) == ID1 && (head[1] & 0xFF) == ID2;
    }

    /**
     * The uncompressed size its last four bytes state (modulo 2^32, and only for a single member), or -1: a hint
     * for sizing buffers, never trusted as data.
     */
    static long sizeHint(byte[] raw) {
        return raw.length < HEADER_BYTES + TRAILER_BYTES ? -1 : u32(raw, raw.length - 4);
    }

    @Override
    public int read() throws CorruptGzipException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws CorruptGzipException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!eof) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new CorruptGzipException(inputPosition(), "invalid deflate data: " + e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                return n;
            }
            if (inflater.finished()) {
                endMember();
            } else if (inflater.needsInput()) {
                throw new CorruptGzipException(raw.length, "file ends inside the compressed data (truncated)");
            } else {
                // needsDictionary, or no progress for an unknown reason: stop rather than loop
                throw new CorruptGzipException(inputPosition(), "deflate stream cannot continue (preset dictionary?)");
            }
        }
        return -1;
    }

    @Override
    public void close() {
        inflater.end();
    }

    private int inputPosition() {
        return raw.length - inflater.getRemaining();
    }

    private void startMember(int start) throws CorruptGzipException {
        int p = start;
        need(p, HEADER_BYTES, "gzip header");
        if ((raw[p] & 0xFF) != ID1 || (raw[p + 1] & 0xFF) != ID2) {
            throw new CorruptGzipException(p, String.format("gzip magic %02x %02x, expected 1f 8b",
                    raw[p] & 0xFF, raw[p + 1] & 0xFF));
        }
        if (raw[p + 2] != DEFLATE) {
            throw new CorruptGzipException(p + 2, "compression method " + (raw[p + 2] & 0xFF) + ", expected 8 (deflate)");
        }
        int flags = raw[p + 3] & 0xFF;
        if ((flags & RESERVED_FLAGS) != 0) {
            throw new CorruptGzipException(p + 3, String.format("reserved header flags set (0x%02x)", flags));
        }
        p += HEADER_BYTES;
        if ((flags & FEXTRA) != 0) {
            need(p, 2, "extra field length");
            int extra = u16(p);
            p += 2;
            need(p, extra, "extra field");
            p += extra;
        }
        if ((flags & FNAME) != 0) {
            p = skipZeroTerminated(p, "file name");
        }
        if ((flags & FCOMMENT) != 0) {
            p = skipZeroTerminated(p, "comment");
        }
        if ((flags & FHCRC) != 0) {
            need(p, 2, "header CRC");
            crc.reset();
            crc.update(raw, start, p - start);
            if ((crc.getValue() & 0xFFFF) != u16(p)) {
                throw new CorruptGzipException(p, "header CRC mismatch");
            }
            p += 2;
        }
        inflater.reset();
        inflater.setInput(raw, p, raw.length - p);
        crc.reset();
        memberBytes = 0;
    }

    private void endMember() throws CorruptGzipException {
        int p = inputPosition();
        need(p, TRAILER_BYTES, "gzip trailer");
        if (u32(raw, p) != crc.getValue()) {
            throw new CorruptGzipException(p, String.format("CRC32 mismatch: trailer says %08x, data gives %08x",
                    u32(raw, p), crc.getValue()));
        }
        if (u32(raw, p + 4) != (memberBytes & 0xFFFFFFFFL)) {
            throw new CorruptGzipException(p + 4, "length mismatch: trailer says " + u32(raw, p + 4)
                    + " bytes (mod 2^32), data gives " + memberBytes);
        }
        p += TRAILER_BYTES;
        if (p == raw.length) {
            eof = true;
        } else if (GunzipStream.hasMagic(new byte[] {raw[p], p + 1 < raw.length ? raw[p + 1] : 0}, 2)) {
            startMember(p); // concatenated members, as `cat a.gz b.gz` makes: valid gzip
        } else {
            throw new CorruptGzipException(p, (raw.length - p) + " bytes of trailing data after the end of the gzip stream");
        }
    }

    private void need(int p, int bytes, String what) throws CorruptGzipException {
        if (bytes > raw.length - p) {
            throw new CorruptGzipException(raw.length, "file ends inside the " + what + " (truncated)");
        }
    }

    private int skipZeroTerminated(int p, String what) throws CorruptGzipException {
        for (int i = p; i < raw.length; i++) {
            if (raw[i] == 0) {
                return i + 1;
            }
        }
        throw new CorruptGzipException(raw.length, "file ends inside the " + what + " (truncated)");
    }

    private int u16(int p) {
        return (raw[p] & 0xFF) | (raw[p + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int p) {
        return ((b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (long) (b[p + 3] & 0xFF) << 24);
    }
}
