package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The state of an optimizer with a step count and {@code count} moment buffers per parameter (Adam, LAMB): the
     * header, the step count, then per parameter position no buffers yet or its moments.
     */
    static void writeStepAndMoments(DataOutput out, String kind, List<Parameter> parameters, long steps,
                                    Map<Parameter, NDArray[]> moments) throws IOException {
        writeHeader(out, kind, parameters);
        out.writeLong(steps);
        for (Parameter p : parameters) {
            NDArray[] m = moments.get(p);
            if (m == null) {
                writeBuffers(out);
            } else {
                writeBuffers(out, m);
            }
        }
    }

    /** What {@link #writeStepAndMoments} wrote: the step count, and the moments into {@code into} (new tensors). */
    static long readStepAndMoments(DataInput in, String kind, List<Parameter> parameters, String what, int count,
                                   Map<Parameter, NDArray[]> into) throws IOException {
        readHeader(in, kind, parameters);
        long steps = in.readLong();
        if (steps < 0) {
            throw new IOException("optimizer state: negative " + kind + " step count " + steps);
        }
        Map<Parameter, NDArray[]> restored = new IdentityHashMap<>();
        try {
            for (int i = 0; i < parameters.size(); i++) {
                Parameter p = parameters.get(i);
                NDArray[] m = readBuffers(in, p, i, what, count);
                if (m != null) {
                    restored.put(p, m);
                }
            }
        } catch (IOException | RuntimeException e) {
            restored.values().forEach(OptimizerState::closeAll);
            throw e;
        }
        into.putAll(restored);
        return steps;
    }
}
