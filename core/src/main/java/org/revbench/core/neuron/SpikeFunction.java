package org.revbench.core.neuron;

import ai.djl.ndarray.NDArray;

/** Heaviside forward with a surrogate backward (docs/architecture.md, Engine notes). */
public final class SpikeFunction {

    private SpikeFunction() {}

    /**
     * {@code s = H(x) + (g(x) - stopGradient(g(x)))} with {@code H(x) = 1 if x >= 0} (note {@code >=},
     * docs/papers.md, Spiking neurons). The forward value is exactly 0 or 1; the gradient is {@code g'(x)}.
     */
    public static NDArray fire(NDArray x, Surrogate surrogate) {
        try (NDArray zero = org.revbench.core.engine.Tensors.constant(x, 0.0);
             NDArray ge = x.gte(zero);
             NDArray h = ge.toType(x.getDataType(), false)) {
            if (!org.revbench.core.engine.Autograd.isRecording()) {
                // nothing will be back-propagated: skip the surrogate's graph
                return h.duplicate();
            }
            try (NDArray g = surrogate.primitive(x); NDArray gd = g.stopGradient(); NDArray d = g.sub(gd)) {
                return h.add(d);
            }
        }
    }
}
