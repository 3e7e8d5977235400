package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.BatchNorm2d;
import org.revbench.core.nn.Linear;
import org.revbench.core.nn.Parameter;
import org.revbench.core.nn.Sequential;

/**
 * A linear layer and a BatchNorm (so trainable weights and non-trainable running statistics), with synthetic
 * gradients: enough to exercise optimizer state and checkpoints without a forward pass.
 */
final class TinyParameters implements AutoCloseable {

    final Sequential layers;
    final List<Parameter> parameters;

    /** Linear {@code in -> out}, BatchNorm over {@code out}, values drawn from {@code seed}. */
    TinyParameters(NDManager manager, DataType dtype, int in, int out, long seed) {
        layers = new Sequential().add("fc", new Linear(in, out)).add("bn", new BatchNorm2d(out));
        layers.initialize(manager, dtype, new Random(seed));
        parameters = layers.allParameters();
        Random r = new Random(seed + 1);
        for (Parameter p : parameters) {
            if (!p.trainable()) {
                p.setValues(r.doubles(p.size()).toArray()); // running statistics away from their defaults
            }
        }
    }

    /**
     * Step {@code k}: a gradient that depends only on {@code k} for every trainable parameter except BatchNorm's
     * beta, which never gets one (so an optimizer holds "no buffer yet" for it), then an update at {@code lr}.
     */
    void step(Optimizer optimizer, int k, double lr) {
        gradients(k);
        optimizer.step(parameters, lr);
    }

    /** Step {@code k}'s gradients alone, accumulated into each parameter's {@code .grad}. */
    void gradients(int k) {
        Random r = new Random(100 + k);
        for (Parameter p : parameters) {
            if (p.trainable() && !p.name().equals("beta")) {
                NDArray w = p.array();
                try (NDArray g = Tensors.fromDoubles(w.getManager(), r.doubles(p.size(), -1, 1).toArray(),
                        p.shape(), w.getDataType())) {
                    Autograd.backward(w, g); // a leaf's backward sets its .grad
                }
            }
        }
    }

    /** Each parameter's raw bytes, for bitwise comparisons. */
    static List<byte[]> bytes(List<Parameter> parameters) {
        List<byte[]> out = new ArrayList<>();
        for (Parameter p : parameters) {
            out.add(p.array().toByteArray());
        }
        return out;
    }

    /** Gives {@code to} the values of {@code from} (same shapes); exact, as every float32 is a double. */
    static void copyValues(List<Parameter> from, List<Parameter> to) {
        for (int i = 0; i < from.size(); i++) {
            to.get(i).setValues(Tensors.toDoubles(from.get(i).array()));
        }
    }

    @Override
    public void close() { layers.close(); }
}
