package org.revbench.core.train;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;
import org.revbench.core.nn.SeedStream;

/**
 * Saves and restores a training run's state (every parameter, BatchNorm running statistics included, and the
 * optimizer's state) so that a run killed at any moment resumes from its last checkpoint and ends with the same
 * numbers as an uninterrupted run.
 *
 * <p>File layout, all big-endian ({@link java.io.DataOutput}):
 * <pre>
 *   content:  "REVBCKPT"  int version (2)
 *             int n, then n x (string key, string value)                      the meta map
 *             int n, then n x (string name, boolean trainable, tensor)         parameters in network order
 *             int n, then n x (string path, long position)                     seed streams ({@link Network#seedStreams})
 *             the optimizer's {@link Optimizer#writeState} bytes
 *   trailer:  long content length   int CRC32 of the content   "CKPT-END"
 * </pre>
 * A string is an int byte count and UTF-8 bytes; a tensor is {@link TensorBytes}' dtype, shape and raw bits.
 *
 * <p>Why the trailer: a cut file loses its end marker (reported as truncated), any changed byte changes the CRC
 * (reported as corrupt), so neither is ever parsed as a checkpoint. Why the temporary file: it is written and
 * forced to disk next to the target, then renamed over it atomically, so a kill during the write leaves the
 * previous checkpoint (or none) under the real name, never half a file.
 *
 * <p>Version 1 had no seed streams. It still loads into a network without any; a network with seed streams (a
 * reversible stage replays per-block seeds, e.g. for dropout) refuses it by name, since its seeds would restart
 * and the resumed run would no longer repeat the uninterrupted one.
 */
public final class TrainingCheckpoint {

    static final byte[] MAGIC = "REVBCKPT".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "CKPT-END".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    /** The first version with seed streams. */
    static final int SEED_STREAMS_SINCE = 2;
    /** content length (8) + CRC32 (4) + end marker. */
    static final int TRAILER_BYTES = 8 + 4 + END.length;

    private TrainingCheckpoint() {}

    /** Saves a network's training state: its parameters, its seed streams' positions and the optimizer's state. */
    public static void save(Path file, Network network, Optimizer optimizer, Map<String, String> meta) throws IOException {
        save(file, network.parameters(), network.seedStreams(), optimizer, meta, VERSION);
    }

    /** Writes the checkpoint to a temporary file in {@code file}'s folder and atomically renames it to {@code file}. */
    public static void save(Path file, List<Parameter> parameters, Optimizer optimizer, Map<String, String> meta)
            throws IOException {
        save(file, parameters, Map.of(), optimizer, meta, VERSION);
    }

    /** As above, in format {@code version} (older ones only for tests of reading them). */
    static void save(Path file, List<Parameter> parameters, Map<String, SeedStream> streams, Optimizer optimizer,
                     Map<String, String> meta, int version) throws IOException {
        if (version < SEED_STREAMS_SINCE && !streams.isEmpty()) {
            throw new IllegalArgumentException("format version " + version + " cannot hold seed streams");
        }
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                BufferedOutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                CRC32 crc = new CRC32();
                DataOutputStream content = new DataOutputStream(new CheckedOutputStream(buffered, crc));
                writeContent(content, parameters, streams, optimizer, meta, version);
                content.flush();
                DataOutputStream trailer = new DataOutputStream(buffered);
                trailer.writeLong(channel.position());
                trailer.writeInt((int) crc.getValue());
                trailer.write(END);
                trailer.flush();
                channel.force(true); // the bytes are on disk before the rename makes them the checkpoint
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        forceFolder(folder);
    }

    /**
     * Restores every parameter's values in place (the tensors keep their identity) and the optimizer's state,
     * and returns the meta map. A file that is truncated, corrupt, not a checkpoint, or made for other parameters
     * or another optimizer throws a {@link CheckpointException} naming the file and the problem, and leaves
     * parameters and optimizer as they were: frame, CRC and every parameter header are checked first, the
     * optimizer replaces its state only once it has read all of it, and parameters are written last.
     */
    public static Map<String, String> load(Path file, List<Parameter> parameters, Optimizer optimizer)
            throws IOException {
        return load(file, parameters, Map.of(), optimizer);
    }

    /**
     * Restores a network saved by {@link #save(Path, Network, Optimizer, Map)}: as above, and the positions of its
     * seed streams, which must be the ones the checkpoint names.
     */
    public static Map<String, String> load(Path file, Network network, Optimizer optimizer) throws IOException {
        return load(file, network.parameters(), network.seedStreams(), optimizer);
    }

    private static Map<String, String> load(Path file, List<Parameter> parameters, Map<String, SeedStream> streams,
                                            Optimizer optimizer) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        }
        int contentLength = checkFrame(file, bytes);
        PositionedInput in = new PositionedInput(bytes, contentLength);
        try {
            in.data.skipBytes(MAGIC.length);
            int version = in.data.readInt();
            if (version < 1 || version > VERSION) {
                throw new CheckpointException(file, "format version " + version + ", this build reads versions 1 to "
                        + VERSION);
            }
            if (version < SEED_STREAMS_SINCE && !streams.isEmpty()) {
                throw new CheckpointException(file, "format version " + version + " predates seed streams, and this"
                        + " network draws per-block seeds in " + String.join(", ", streams.keySet()) + ": resumed from"
                        + " it, the seeds (dropout masks) would restart and the run would not repeat an uninterrupted"
                        + " one; delete the checkpoint to train from the start");
            }
            Map<String, String> meta = readMeta(in.data);
            List<SavedParameter> saved = readParameters(file, in, parameters);
            long[] positions = version < SEED_STREAMS_SINCE ? new long[0] : readSeedStreams(file, in.data, streams);
            optimizer.readState(in.data, parameters);
            if (in.remaining() != 0) {
                throw new CheckpointException(file, in.remaining() + " unread bytes after the optimizer state");
            }
            for (int i = 0; i < saved.size(); i++) {
                SavedParameter s = saved.get(i);
                TensorBytes.copyInto(parameters.get(i).array(), s.header(),
                        Arrays.copyOfRange(bytes, s.offset(), s.offset() + (int) s.header().byteCount()));
            }
            int i = 0;
            for (SeedStream s : streams.values()) {
                s.seek(positions[i++]);
            }
            return Collections.unmodifiableMap(meta);
        } catch (CheckpointException e) {
            throw e;
        } catch (EOFException e) {
            throw new CheckpointException(file, "content ends early although its CRC matches (a format bug)", e);
        } catch (IOException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
    }

    private static void writeContent(DataOutputStream out, List<Parameter> parameters, Map<String, SeedStream> streams,
                                     Optimizer optimizer, Map<String, String> meta, int version) throws IOException {
        out.write(MAGIC);
        out.writeInt(version);
        out.writeInt(meta.size());
        for (Map.Entry<String, String> e : meta.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        out.writeInt(parameters.size());
        for (Parameter p : parameters) {
            writeString(out, p.name());
            out.writeBoolean(p.trainable());
            TensorBytes.write(out, p.array());
        }
        if (version >= SEED_STREAMS_SINCE) {
            out.writeInt(streams.size());
            for (Map.Entry<String, SeedStream> e : streams.entrySet()) {
                writeString(out, e.getKey());
                out.writeLong(e.getValue().position());
            }
        }
        optimizer.writeState(out, parameters);
    }

    /**
     * Checks magic, end marker, recorded length and CRC, in that order, so each failure gets its own message;
     * returns the content length.
     */
    private static int checkFrame(Path file, byte[] bytes) throws CheckpointException {
        int prefix = Math.min(bytes.length, MAGIC.length);
        if (!Arrays.equals(bytes, 0, prefix, MAGIC, 0, prefix)) {
            throw new CheckpointException(file, "not a RevBench training checkpoint (wrong magic: starts with '"
                    + new String(bytes, 0, prefix, StandardCharsets.ISO_8859_1) + "', expected 'REVBCKPT')");
        }
        if (bytes.length < MAGIC.length + 4 + TRAILER_BYTES
                || !Arrays.equals(bytes, bytes.length - END.length, bytes.length, END, 0, END.length)) {
            throw new CheckpointException(file, "truncated: the end marker is missing (" + bytes.length
                    + " bytes; was the file cut or its write interrupted?)");
        }
        ByteBuffer trailer = ByteBuffer.wrap(bytes, bytes.length - TRAILER_BYTES, TRAILER_BYTES);
        long recordedLength = trailer.getLong();
        int recordedCrc = trailer.getInt();
        int contentLength = bytes.length - TRAILER_BYTES;
        if (recordedLength != contentLength) {
            throw new CheckpointException(file, "truncated or padded: the trailer records " + recordedLength
                    + " content bytes, the file holds " + contentLength);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, contentLength);
        if ((int) crc.getValue() != recordedCrc) {
            throw new CheckpointException(file, String.format("corrupt: CRC32 mismatch (content %08x, recorded %08x)",
                    (int) crc.getValue(), recordedCrc));
        }
        return contentLength;
    }

    private static Map<String, String> readMeta(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            meta.put(readString(in), readString(in));
        }
        return meta;
    }

    /** Where each parameter's bytes are in the file, after checking name, shape and dtype against the network. */
    private record SavedParameter(TensorBytes.Header header, int offset) {}

    private static List<SavedParameter> readParameters(Path file, PositionedInput in, List<Parameter> parameters)
            throws IOException {
        int n = in.data.readInt();
        if (n != parameters.size()) {
            throw new CheckpointException(file, "holds " + n + " parameters, the network has " + parameters.size());
        }
        List<SavedParameter> saved = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Parameter p = parameters.get(i);
            String name = readString(in.data);
            boolean trainable = in.data.readBoolean();
            TensorBytes.Header h = TensorBytes.readHeader(in.data);
            if (!name.equals(p.name()) || trainable != p.trainable()) {
                throw new CheckpointException(file, "parameter " + i + " is '" + name + "'"
                        + (trainable ? "" : " (buffer)") + " in the checkpoint but '" + p.name() + "'"
                        + (p.trainable() ? "" : " (buffer)") + " in the network");
            }
            if (!h.matches(p.array())) {
                throw new CheckpointException(file, "parameter " + i + " '" + name + "' was saved as " + h
                        + ", the network's is " + OptimizerState.describe(p.array()));
            }
            if (h.byteCount() > in.remaining()) {
                throw new EOFException();
            }
            saved.add(new SavedParameter(h, in.position()));
            in.data.skipBytes((int) h.byteCount());
        }
        return saved;
    }

    /** The saved positions, in the network's order, after checking that the streams are the network's. */
    private static long[] readSeedStreams(Path file, DataInputStream in, Map<String, SeedStream> streams)
            throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new CheckpointException(file, n + " seed streams do not fit in the rest of the content");
        }
        List<String> names = new ArrayList<>(n);
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            names.add(readString(in));
            positions[i] = in.readLong();
            if (positions[i] < 0) {
                throw new CheckpointException(file, "seed stream '" + names.get(i) + "' at position " + positions[i]);
            }
        }
        if (!names.equals(List.copyOf(streams.keySet()))) {
            throw new CheckpointException(file, "seed streams " + names + " in the checkpoint but " + streams.keySet()
                    + " in the network");
        }
        return positions;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("a string of " + n + " bytes does not fit in the rest of the content");
        }
        byte[] utf8 = new byte[n];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Makes the rename itself durable (POSIX: a directory entry is on disk once the folder is forced). */
    private static void forceFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open or force a folder; the rename is still atomic, only its durability waits
        }
    }

    /** A DataInput over the content that knows its position (for parameter offsets). */
    private static final class PositionedInput {
        private final Counting counting;
        final DataInputStream data;

        PositionedInput(byte[] bytes, int length) {
            counting = new Counting(bytes, length);
            data = new DataInputStream(counting);
        }

        int position() { return counting.position(); }

        int remaining() { return counting.available(); }

        private static final class Counting extends ByteArrayInputStream {
            Counting(byte[] bytes, int length) { super(bytes, 0, length); }

            int position() { return pos; }
        }
    }
}
