package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import org.revbench.core.nn.Parameter;

/**
 * The pieces every optimizer's saved state is made of: a kind tag, the parameter count, and per parameter
 * position either "no buffer" or tensors stored with {@link TensorBytes}. Reading checks each piece against the
 * optimizer and parameters it is restored into and says which one differs.
 */
final class OptimizerState {

    private OptimizerState() {}

    static void writeHeader(DataOutput out, String kind, List<Parameter> parameters) throws IOException {
        out.writeUTF(kind);
        out.writeInt(parameters.size());
    }

    static void readHeader(DataInput in, String kind, List<Parameter> parameters) throws IOException {
        String saved = in.readUTF();
        if (!saved.equals(kind)) {
            throw new IOException("optimizer state was saved by '" + saved + "', cannot restore it into '" + kind
                    + "'");
        }
        int count = in.readInt();
        if (count != parameters.size()) {
            throw new IOException("optimizer state covers " + count + " parameters, the network has "
                    + parameters.size());
        }
    }

    /** Writes whether {@code buffers} exist, then each of them. */
    static void writeBuffers(DataOutput out, NDArray... buffers) throws IOException {
        out.writeBoolean(buffers.length > 0);
        for (NDArray b : buffers) {
            TensorBytes.write(out, b);
        }
    }

    /**
     * Reads what {@link #writeBuffers} wrote for parameter {@code index}: null for "no buffer yet", otherwise
     * {@code count} new libtorch-owned tensors, each checked to have the parameter's shape and dtype.
     */
    static NDArray[] readBuffers(DataInput in, Parameter p, int index, String what, int count) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        NDArray[] buffers = new NDArray[count];
        try {
            for (int k = 0; k < count; k++) {
                TensorBytes.Header h = TensorBytes.readHeader(in);
                if (!h.matches(p.array())) {
                    throw new IOException("optimizer state: " + what + " of parameter " + index + " '" + p.name()
                            + "' was saved as " + h + ", the parameter is " + describe(p.array()));
                }
                buffers[k] = TensorBytes.toTensor(p.array().getManager(), h, TensorBytes.readData(in, h));
            }
            return buffers;
        } catch (IOException | RuntimeException e) {
            closeAll(buffers);
            throw e;
        }
    }

    static String describe(NDArray x) {
        return new TensorBytes.Header(x.getDataType(), x.getShape()).toString();
    }

    static void closeAll(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a != null) {
                a.close();
            }
        }
    }
}
