package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;

/**
 * Bit-exact tensor serialisation for checkpoints: a header (dtype name, rank, dimensions) and the elements' raw
 * bits in big-endian order (the order of {@link DataOutput}). Bits are copied as integers of the element's width,
 * never through {@code double}, so a restored tensor equals the saved one bit for bit (NaN payloads and -0.0
 * included) whatever the dtype.
 */
final class TensorBytes {

    private TensorBytes() {}

    /** What a tensor's header says: enough to check it against the tensor it should restore. */
    record Header(DataType dtype, Shape shape) {
        long byteCount() { return shape.size() * dtype.getNumOfBytes(); }

        boolean matches(NDArray x) { return dtype == x.getDataType() && shape.equals(x.getShape()); }

        @Override
        public String toString() { return shape + " " + dtype.name().toLowerCase(); }
    }

    static void write(DataOutput out, NDArray x) throws IOException {
        checkSupported(x.getDataType());
        writeHeader(out, new Header(x.getDataType(), x.getShape()));
        ByteBuffer nativeBytes = x.toByteBuffer().order(ByteOrder.nativeOrder());
        byte[] bigEndian = new byte[nativeBytes.remaining()];
        convert(nativeBytes, ByteBuffer.wrap(bigEndian).order(ByteOrder.BIG_ENDIAN), x.getDataType());
        out.write(bigEndian);
    }

    static void writeHeader(DataOutput out, Header h) throws IOException {
        out.writeUTF(h.dtype().name());
        long[] dims = h.shape().getShape();
        out.writeInt(dims.length);
        for (long d : dims) {
            out.writeLong(d);
        }
    }

    /** Reads a header; a dtype this format cannot hold or a negative dimension means the bytes are not a header. */
    static Header readHeader(DataInput in) throws IOException {
        String name = in.readUTF();
        DataType dtype;
        try {
            dtype = DataType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown tensor dtype '" + name + "'");
        }
        checkSupported(dtype);
        int rank = in.readInt();
        if (rank < 0 || rank > 32) {
            throw new IOException("implausible tensor rank " + rank);
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readLong();
            if (dims[i] < 0) {
                throw new IOException("negative tensor dimension " + dims[i]);
            }
        }
        return new Header(dtype, new Shape(dims));
    }

    /** The element bytes that follow {@code h}, still big-endian. */
    static byte[] readData(DataInput in, Header h) throws IOException {
        long n = h.byteCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException("tensor " + h + " is too large for one array (" + n + " bytes)");
        }
        byte[] data = new byte[(int) n];
        in.readFully(data);
        return data;
    }

    /** A libtorch-owned tensor with the given header and big-endian element bytes. */
    static NDArray toTensor(NDManager manager, Header h, byte[] bigEndian) {
        ByteBuffer nativeBytes = nativeOrder(h, bigEndian);
        try (NDArray blob = manager.create(nativeBytes, h.shape(), h.dtype())) {
            return Tensors.owned(blob); // owned by libtorch, not by a Java buffer (see Tensors)
        } finally {
            Reference.reachabilityFence(nativeBytes); // the blob reads this memory until the clone is made
        }
    }

    /**
     * Overwrites {@code target}'s elements in place (its storage, identity and requires-grad flag stay), with
     * recording off so that the copy is not part of any graph.
     */
    static void copyInto(NDArray target, Header h, byte[] bigEndian) {
        if (!h.matches(target)) {
            throw new IllegalArgumentException("cannot copy " + h + " into a tensor of " + new Header(
                    target.getDataType(), target.getShape()));
        }
        ByteBuffer nativeBytes = nativeOrder(h, bigEndian);
        boolean before = Autograd.setRecording(false);
        try (NDArray source = target.getManager().create(nativeBytes, h.shape(), h.dtype())) {
            if (h.shape().dimension() == 0) {
                // a 0-d tensor has no axis to slice: copy through a one-element view of the same storage
                try (NDArray view = target.reshape(1); NDArray flat = source.reshape(1)) {
                    Tensors.overwrite(view, flat);
                }
            } else {
                Tensors.overwrite(target, source);
            }
        } finally {
            Autograd.setRecording(before);
            Reference.reachabilityFence(nativeBytes); // the source tensor reads this memory until the copy is done
        }
    }

    /**
     * The elements in native order in a direct buffer. DJL wraps such a buffer without copying it
     * ({@code torch::from_blob}), so a tensor made from it is valid only while the buffer is reachable: callers
     * copy out of that tensor at once.
     */
    private static ByteBuffer nativeOrder(Header h, byte[] bigEndian) {
        ByteBuffer nativeBytes = ByteBuffer.allocateDirect(bigEndian.length).order(ByteOrder.nativeOrder());
        convert(ByteBuffer.wrap(bigEndian).order(ByteOrder.BIG_ENDIAN), nativeBytes, h.dtype());
        nativeBytes.rewind();
        return nativeBytes;
    }

    /** Copies every element's bits from {@code from} to {@code to}, swapping byte order where the two differ. */
    private static void convert(ByteBuffer from, ByteBuffer to, DataType dtype) {
        switch (dtype.getNumOfBytes()) {
            case 1 -> to.put(from.duplicate());
            case 2 -> to.asShortBuffer().put(from.asShortBuffer());
            case 4 -> to.asIntBuffer().put(from.asIntBuffer());
            case 8 -> to.asLongBuffer().put(from.asLongBuffer());
            default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
        }
    }

    private static void checkSupported(DataType dtype) throws IOException {
        int width = dtype.getNumOfBytes();
        if (dtype == DataType.STRING || dtype == DataType.UNKNOWN || (width != 1 && width != 2 && width != 4
                && width != 8)) {
            throw new IOException("tensor dtype " + dtype + " cannot be stored in a checkpoint");
        }
    }
}
