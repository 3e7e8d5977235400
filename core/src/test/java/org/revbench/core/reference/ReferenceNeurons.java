package org.revbench.core.reference;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-step spiking neurons in float64 (SpikingJelly 0.0.0.0.12 semantics, docs/papers.md, Spiking neurons).
 *
 * <p>Input is {@code [T, B, ...]} with any trailing dims; the membrane potential {@code v} starts at 0 for every
 * element (a fresh neuron each call). Per time step {@code t}:
 * <ol>
 *   <li>charge: {@code h = charge(v, x[t])} (IF: {@code v + x}; LIF, decay_input: {@code v + (x - v) / tau});</li>
 *   <li>fire: {@code s = (h - vth >= 0) ? 1 : 0} (note {@code >=}: {@code h == vth} fires);</li>
 *   <li>hard reset to 0: {@code v = (1 - s) * h}.</li>
 * </ol>
 * Only forward values are modelled (no surrogate gradients).
 *
 * <p>To add another neuron, supply a {@link Charge} to {@link #multiStep(INDArray, Charge, double)}.
 */
public final class ReferenceNeurons {

    /** SpikingJelly's default threshold. */
    public static final double DEFAULT_VTH = 1.0;

    private ReferenceNeurons() {}

    /**
     * Result of a multi-step run.
     *
     * @param spikes     {@code [T, B, ...]}, values exactly 0.0 or 1.0
     * @param potentials {@code [T, B, ...]}, membrane potential after charge and before reset (SpikingJelly's
     *                   {@code h[t]}, the value compared with the threshold)
     */
    public record NeuronTrace(INDArray spikes, INDArray potentials) {}

    /** The charge equation {@code h = f(v_prev, x_t)}; arrays are float64, shape {@code [prod(B, ...)]}. */
    @FunctionalInterface
    public interface Charge {
        INDArray charge(INDArray vPrev, INDArray x);
    }

    /** IF charge: {@code h = v + x}. */
    public static final Charge IF_CHARGE = (v, x) -> v.add(x);

    /** LIF charge with decay_input (SpikingJelly default): {@code h = v + (x - v) / tau}. */
    public static Charge lifCharge(double tau) {
        if (!(tau > 0)) {
            throw new IllegalArgumentException("tau must be > 0: " + tau);
        }
        return (v, x) -> v.add(x.sub(v).div(tau));
    }

    /** IF neuron, threshold 1.0. */
    public static NeuronTrace ifNeuron(INDArray x) {
        return multiStep(x, IF_CHARGE, DEFAULT_VTH);
    }

    /** IF neuron with threshold {@code vth}. */
    public static NeuronTrace ifNeuron(INDArray x, double vth) {
        return multiStep(x, IF_CHARGE, vth);
    }

    /** LIF neuron (decay_input, hard reset to 0), threshold 1.0. */
    public static NeuronTrace lifNeuron(INDArray x, double tau) {
        return multiStep(x, lifCharge(tau), DEFAULT_VTH);
    }

    /** LIF neuron (decay_input, hard reset to 0) with threshold {@code vth}. */
    public static NeuronTrace lifNeuron(INDArray x, double tau, double vth) {
        return multiStep(x, lifCharge(tau), vth);
    }

    /**
     * Runs charge -> fire -> hard reset (to 0) over the time dim 0 of {@code x} ({@code [T, B, ...]}, float64,
     * rank >= 2). {@code v} starts at 0.
     */
    public static NeuronTrace multiStep(INDArray x, Charge charge, double vth) {
        ReferenceArrays.requireDouble(x, "x");
        if (x.rank() < 2) {
            throw new IllegalArgumentException("x must be [T, B, ...], got " + Arrays.toString(x.shape()));
        }
        long[] shape = x.shape();
        long t = shape[0];
        long m = x.length() / t;
        // work on [T, M]: row t is time step t, flattened row-major over B, ...
        INDArray xs = x.dup('c').reshape('c', t, m);
        INDArray spikes = ReferenceArrays.zeros(t, m);
        INDArray potentials = ReferenceArrays.zeros(t, m);
        INDArray v = ReferenceArrays.zeros(m);
        for (long i = 0; i < t; i++) {
            INDArray xt = xs.getRow(i).reshape(m);
            INDArray h = charge.charge(v, xt);
            ReferenceArrays.requireDouble(h, "charge result");
            INDArray s = h.sub(vth).gte(0.0).castTo(DataType.DOUBLE); // Heaviside with H(0) = 1
            v = s.rsub(1.0).mul(h); // hard reset to 0
            spikes.getRow(i).assign(s);
            potentials.getRow(i).assign(h);
        }
        return new NeuronTrace(spikes.reshape('c', shape), potentials.reshape('c', shape));
    }
}
