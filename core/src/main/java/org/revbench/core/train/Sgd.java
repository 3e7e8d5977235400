package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.Parameter;

/**
 * PyTorch SGD: {@code d = g + wd * p}; {@code buf = momentum * buf + d} (the first step sets {@code buf = d});
 * {@code p -= lr * buf}. Weight decay applies to every trainable parameter, as in the papers' scripts.
 */
public final class Sgd implements Optimizer {

    private static final String KIND = "sgd";

    private final double momentum;
    private final double weightDecay;
    private final Map<Parameter, NDArray> buffers = new IdentityHashMap<>();

    public Sgd(double momentum, double weightDecay) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        // the three numbers as 0-d tensors made once per step: DJL turns every number an op is given into a tensor made
        // from Java (about 6 us, against under 1 us for an in-place op on two tensors), three times per parameter;
        // float64, as DJL makes them, so every result is bit for bit what the numbers gave
        NDArray[] scalars = new NDArray[3]; // weight decay, momentum, learning rate
        try {
            Optimizer.forEachGradient(parameters, (p, w, g) -> {
                if (scalars[0] == null) {
                    scalars[0] = Tensors.constant(w.getManager(), weightDecay, DataType.FLOAT64);
                    scalars[1] = Tensors.constant(w.getManager(), momentum, DataType.FLOAT64);
                    scalars[2] = Tensors.constant(w.getManager(), lr, DataType.FLOAT64);
                }
                NDArray d = weightDecay == 0 ? g.duplicate() : w.mul(scalars[0]).addi(g);
                if (momentum != 0) {
                    NDArray buf = buffers.get(p);
                    if (buf == null) {
                        buffers.put(p, d); // PyTorch: the first step's buffer is d itself
                    } else {
                        buf.muli(scalars[1]).addi(d);
                        d.close();
                    }
                    d = buffers.get(p);
                }
                try (NDArray step = d.mul(scalars[2])) {
                    w.subi(step);
                }
                if (momentum == 0) {
                    d.close();
                }
            });
        } finally {
            for (NDArray s : scalars) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /** Per parameter position: no buffer yet (before its first gradient), or the momentum buffer. */
    @Override
    public void writeState(DataOutput out, List<Parameter> parameters) throws IOException {
        OptimizerState.writeHeader(out, KIND, parameters);
        for (Parameter p : parameters) {
            NDArray buf = buffers.get(p);
            if (buf == null) {
                OptimizerState.writeBuffers(out);
            } else {
                OptimizerState.writeBuffers(out, buf);
            }
        }
    }

    @Override
    public void readState(DataInput in, List<Parameter> parameters) throws IOException {
        OptimizerState.readHeader(in, KIND, parameters);
        Map<Parameter, NDArray> restored = new IdentityHashMap<>();
        try {
            for (int i = 0; i < parameters.size(); i++) {
                Parameter p = parameters.get(i);
                NDArray[] buf = OptimizerState.readBuffers(in, p, i, "momentum buffer", 1);
                if (buf != null) {
                    restored.put(p, buf[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            restored.values().forEach(NDArray::close);
            throw e;
        }
        close();
        buffers.putAll(restored);
    }

    @Override
    public void close() {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
    }
}
