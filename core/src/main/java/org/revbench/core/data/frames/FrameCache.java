package org.revbench.core.data.frames;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.EventStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames cached on disk, one file per sample, so a recording is parsed and integrated once, not every epoch.
 *
 * <p>A file is used only if it is intact and was made with the same {@link FrameSpec} from the same
 * {@link SourceId} (path, size, modification time); otherwise the frames are rebuilt from the recording and the
 * file replaced. A corrupt or truncated file is logged and rebuilt, never returned: every file ends with a CRC-32
 * of all its bytes. Files are written to a temporary file in the same directory and moved into place, so readers
 * (also in other processes) see either the old or the new file, never half of one. Several threads may use one
 * cache; two that build the same sample at once both write whole files, and the last move wins. The file name
 * depends on the source only, so a new spec replaces the old frames: to keep several specs (T = 10 and 16, say)
 * side by side, give each its own directory.
 *
 * <p>Format, version {@value #VERSION}, big-endian:
 * <pre>
 *   8 bytes  magic "RBFRAMES"
 *   int      format version
 *   int      T;  byte split (0 number, 1 time);  int H, int W as requested (0, 0 = sensor size)
 *   UTF      source key (Java modified UTF-8);  long source size;  long source modification time (ms)
 *   int      H, W of the stored frames
 *   long     sum of all counts (a cross-check of the decoded data)
 *   int      length of the count stream;  int length of its deflated form;  the deflated bytes
 *   int      CRC-32 of every byte before it
 * </pre>
 * The count stream is {@code T*2*H*W} unsigned LEB128 varints, row-major {@code [T, 2, H, W]}: DVS frames are
 * mostly zeros and small counts, which this stores in about one byte a pixel before deflate.
 */
public final class FrameCache {

    public static final int VERSION = 1;
    static final byte[] MAGIC = "RBFRAMES".getBytes(StandardCharsets.US_ASCII);
    static final String SUFFIX = ".rbframes";
    private static final Logger LOG = LoggerFactory.getLogger(FrameCache.class);

    /** Loads a recording when its frames have to be (re)built. */
    @FunctionalInterface
    public interface Loader {
        EventStream load() throws IOException;
    }

    /** A decoded cache file. */
    public record Entry(FrameSpec spec, SourceId source, Frames frames) {}

    private final Path dir;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong builds = new AtomicLong();

    /** A cache in {@code dir} (created if missing). */
    public FrameCache(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path dir() { return dir; }

    /** Frames served from intact, matching files. */
    public long hits() { return hits.get(); }

    /** Frames built (first use, changed spec or source, unusable file). */
    public long builds() { return builds.get(); }

    /** The frames of {@code source} by {@code spec}, from the cache or built with {@code loader} and stored. */
    public Frames get(SourceId source, FrameSpec spec, Loader loader) throws IOException {
        Path file = fileFor(source);
        try {
            Entry e = read(file);
            if (e.spec().equals(spec) && e.source().equals(source)) {
                hits.incrementAndGet();
                return e.frames();
            }
            LOG.info("frame cache {}: made with {} from {}, now {} from {}: rebuilding", file, e.spec(), e.source(),
                    spec, source);
        } catch (NoSuchFileException missing) {
            // first use
        } catch (FrameCacheFormatException bad) {
            LOG.warn("frame cache file is unusable, rebuilding: {}", bad.getMessage());
        }
        Frames frames = EventFrames.integrate(loader.load(), spec);
        write(file, source, spec, frames);
        builds.incrementAndGet();
        return frames;
    }

    /** The file that holds {@code source}'s frames: a readable tail of the key plus a hash of the whole key. */
    public Path fileFor(SourceId source) {
        String key = source.key();
        String tail = key.substring(Math.max(key.lastIndexOf('/'), key.lastIndexOf('\\')) + 1)
                .replaceAll("[^A-Za-z0-9._-]", "_");
        if (tail.length() > 40) {
            tail = tail.substring(tail.length() - 40);
        }
        return dir.resolve(tail + "-" + sha256(key).substring(0, 16) + SUFFIX);
    }

    /** Writes a cache file atomically (temporary file in the same directory, then a move). */
    public static void write(Path file, SourceId source, FrameSpec spec, Frames frames) throws IOException {
        byte[] bytes = encode(source, spec, frames);
        Path parent = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(parent, file.getFileName().toString() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // the data is on disk before the name points at it
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads and checks a cache file.
     *
     * @throws NoSuchFileException if there is none
     * @throws FrameCacheFormatException if it is truncated, corrupt or of another format version
     */
    public static Entry read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int minimum = MAGIC.length + 4;
        if (b.length < minimum) {
            throw new FrameCacheFormatException(file, DatasetFormatException.atByte(b.length),
                    "truncated: " + b.length + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                throw new FrameCacheFormatException(file, DatasetFormatException.atByte(0), "not a frame cache file");
            }
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        in.position(MAGIC.length);
        int version = in.getInt();
        if (version != VERSION) {
            throw new FrameCacheFormatException(file, DatasetFormatException.atByte(MAGIC.length),
                    "format version " + version + ", this build reads " + VERSION);
        }
        if (b.length < minimum + 4) {
            throw new FrameCacheFormatException(file, DatasetFormatException.atByte(b.length), "truncated");
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        int stored = ByteBuffer.wrap(b, b.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new FrameCacheFormatException(file, "", "checksum mismatch (truncated or corrupt, "
                    + b.length + " bytes)");
        }
        try {
            return decode(file, in, b.length - 4);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            // a checksum that matches by chance over garbage: still never a silent wrong frame
            throw new FrameCacheFormatException(file, DatasetFormatException.atByte(in.position()),
                    "malformed: " + e, e);
        }
    }

    static byte[] encode(SourceId source, FrameSpec spec, Frames frames) throws IOException {
        if (frames.frames() != spec.frames()
                || (!spec.sensorSize() && (frames.height() != spec.height() || frames.width() != spec.width()))) {
            throw new IllegalArgumentException("frames " + java.util.Arrays.toString(frames.shape())
                    + " do not match " + spec);
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream(frames.data().length + 16);
        long total = 0;
        for (float v : frames.data()) {
            if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("frame cache stores event counts, got " + v);
            }
            total += (long) v;
            writeVarint(raw, (int) v);
        }
        byte[] counts = raw.toByteArray();
        byte[] packed = deflate(counts);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(packed.length + 256);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(spec.frames());
        out.writeByte(spec.split() == SplitBy.NUMBER ? 0 : 1);
        out.writeInt(spec.height());
        out.writeInt(spec.width());
        out.writeUTF(source.key());
        out.writeLong(source.size());
        out.writeLong(source.modifiedMillis());
        out.writeInt(frames.height());
        out.writeInt(frames.width());
        out.writeLong(total);
        out.writeInt(counts.length);
        out.writeInt(packed.length);
        out.write(packed);
        out.flush();
        CRC32 crc = new CRC32();
        byte[] body = bytes.toByteArray();
        crc.update(body);
        out.writeInt((int) crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    private static Entry decode(Path file, ByteBuffer in, int end) throws FrameCacheFormatException {
        int frames = in.getInt();
        int splitCode = in.get();
        if (splitCode != 0 && splitCode != 1) {
            throw new FrameCacheFormatException(file, DatasetFormatException.atByte(in.position() - 1),
                    "split code " + splitCode);
        }
        FrameSpec spec = new FrameSpec(frames, splitCode == 0 ? SplitBy.NUMBER : SplitBy.TIME, in.getInt(),
                in.getInt());
        int keyLength = Short.toUnsignedInt(in.getShort());
        byte[] keyBytes = new byte[keyLength];
        in.get(keyBytes);
        String key = decodeModifiedUtf8(keyBytes);
        SourceId source = new SourceId(key, in.getLong(), in.getLong());
        int h = in.getInt();
        int w = in.getInt();
        long total = in.getLong();
        int rawLength = in.getInt();
        int packedLength = in.getInt();
        if (packedLength < 0 || rawLength < 0 || in.position() + packedLength != end) {
            throw new FrameCacheFormatException(file, DatasetFormatException.atByte(in.position()),
                    "data length " + packedLength + " does not fit the file");
        }
        long cells = (long) frames * Frames.CHANNELS * h * w;
        if (h < 1 || w < 1 || cells > Integer.MAX_VALUE || rawLength < cells) {
            throw new FrameCacheFormatException(file, "", "bad frame size " + frames + "x2x" + h + "x" + w);
        }
        byte[] counts = inflate(file, in.array(), in.position(), packedLength, rawLength);
        float[] data = new float[(int) cells];
        int pos = 0;
        long sum = 0;
        for (int i = 0; i < data.length; i++) {
            int v = 0;
            int shift = 0;
            while (true) {
                if (pos >= counts.length || shift > 28) {
                    throw new FrameCacheFormatException(file, "count " + i, "malformed count stream");
                }
                int b = counts[pos++];
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                shift += 7;
            }
            if (v < 0) {
                throw new FrameCacheFormatException(file, "count " + i, "negative count");
            }
            data[i] = v;
            sum += v;
        }
        if (pos != counts.length || sum != total) {
            throw new FrameCacheFormatException(file, "", "count stream does not match its header");
        }
        return new Entry(spec, source, new Frames(data, frames, h, w));
    }

    private static void writeVarint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 8));
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] inflate(Path file, byte[] src, int off, int len, int rawLength)
            throws FrameCacheFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(src, off, len);
            byte[] out = new byte[rawLength];
            int n = 0;
            while (n < rawLength && !inf.finished()) {
                int k = inf.inflate(out, n, rawLength - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (n != rawLength || !inf.finished() || inf.getRemaining() != 0) {
                throw new FrameCacheFormatException(file, "", "compressed data does not inflate to " + rawLength
                        + " bytes");
            }
            return out;
        } catch (DataFormatException e) {
            throw new FrameCacheFormatException(file, "", "compressed data is corrupt", e);
        } finally {
            inf.end();
        }
    }

    private static String decodeModifiedUtf8(byte[] bytes) throws FrameCacheFormatException {
        try {
            ByteBuffer b = ByteBuffer.allocate(bytes.length + 2);
            b.putShort((short) bytes.length).put(bytes);
            return new java.io.DataInputStream(new java.io.ByteArrayInputStream(b.array())).readUTF();
        } catch (IOException e) {
            throw new IllegalArgumentException("source key is not valid modified UTF-8", e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
