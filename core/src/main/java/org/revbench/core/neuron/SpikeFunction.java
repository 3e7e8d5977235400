package org.revbench.core.neuron;

import ai.djl.ndarray.NDArray;

/** Heaviside forward with a surrogate backward (docs/architecture.md, Engine notes). */
public final class SpikeFunction {

    private SpikeFunction() {}

    /**
     * {@code s = H(x) + (x g'(x) - stopGradient(x g'(x)))}, {@code g'} taken without recording, with {@code H(x) = 1 if x >= 0} (note {@code >=},
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
            // d = x * sg(g'(x)) - sg(x * g'(x)): exactly 0 (the same product twice), gradient g'(x). The surrogate's
            // closed-form derivative, computed without recording, replaces the primitive's recorded graph (atan's
            // forward and its backward chain): fewer and cheaper ops per step in both passes, the same gradient.
            try (NDArray gp = surrogate.derivative(x); NDArray a = x.mul(gp); NDArray ad = a.stopGradient();
                 NDArray d = a.sub(ad)) {
                return h.add(d);
            }
        }
    }
}
