package org.revbench.core.neuron;

import ai.djl.ndarray.NDArray;
import org.revbench.core.engine.Tensors;

/**
 * Leaky integrate-and-fire with SpikingJelly's decay_input form: {@code v = v + (x - v) / tau}
 * (ParaRevSNN Eq. 4-6). The DVS models use tau 1.5 with {@code sigmoid(4)}.
 */
public final class LifNeuron extends SpikingNeuron {

    private final double tau;

    public LifNeuron(double tau, Surrogate surrogate) {
        this(tau, 1.0, surrogate);
    }

    public LifNeuron(double tau, double threshold, Surrogate surrogate) {
        super(threshold, surrogate);
        if (!(tau > 1.0)) {
            throw new IllegalArgumentException("LIF tau must be > 1, got " + tau);
        }
        this.tau = tau;
    }

    @Override
    protected NDArray charge(NDArray v, NDArray x) {
        try (NDArray inv = Tensors.constant(x, 1.0 / tau)) {
            if (v == null) {
                return x.mul(inv); // v = 0 + (x - 0) / tau
            }
            try (NDArray d = x.sub(v); NDArray dt = d.mul(inv)) {
                return v.add(dt);
            }
        }
    }

    public double tau() { return tau; }

    @Override
    public String kind() { return "LIF(tau=" + tau + ")"; }
}
