package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.nn.Parameter;

/**
 * PyTorch SGD: {@code d = g + wd * p}; {@code buf = momentum * buf + d} (the first step sets {@code buf = d});
 * {@code p -= lr * buf}. Weight decay applies to every trainable parameter, as in the papers' scripts.
 */
public final class Sgd implements Optimizer {

    private final double momentum;
    private final double weightDecay;
    private final Map<Parameter, NDArray> buffers = new IdentityHashMap<>();

    public Sgd(double momentum, double weightDecay) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        Optimizer.forEachGradient(parameters, (p, w, g) -> {
            NDArray d = weightDecay == 0 ? g.duplicate() : w.mul(weightDecay).addi(g);
            if (momentum != 0) {
                NDArray buf = buffers.get(p);
                if (buf == null) {
                    buffers.put(p, d); // PyTorch: the first step's buffer is d itself
                } else {
                    buf.muli(momentum).addi(d);
                    d.close();
                }
                d = buffers.get(p);
            }
            try (NDArray step = d.mul(lr)) {
                w.subi(step);
            }
            if (momentum == 0) {
                d.close();
            }
        });
    }

    @Override
    public void close() {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
    }
}
