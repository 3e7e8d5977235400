package org.revbench.core.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * A multi-step spiking neuron over {@code [T, B, ...]}: per time step charge, fire, reset (SpikingJelly's
 * structure; ParaRevSNN Eq. 1-6).
 *
 * <ul>
 *   <li>fire: {@code s = H(v - v_th)} with {@code H(x) = 1 if x >= 0}, {@code v_th = 1.0};</li>
 *   <li>hard reset to 0 with the reset path detached: {@code v = (1 - stopGradient(s)) * v} (SpikingJelly's
 *   {@code detach_reset=True}, what RevSResNet and MS-ResNet use), or, with {@link #setDetachReset} false, on the
 *   graph: {@code v = (1 - s) * v} (SpikingJelly's default {@code detach_reset=False}).</li>
 * </ul>
 *
 * <p>What autograd keeps per step differs between the two resets: detached, the surrogate's input and a boolean mask
 * (5 bytes per element, float32); on the graph, the surrogate's input, {@code 1 - s} and the potential, all float
 * (12 bytes per element), as SpikingJelly's LIF node keeps them.
 *
 * <p>The membrane state lives only inside one {@link #forward} call and starts at 0, so it is re-zeroed for
 * every batch and for every recomputation of a reversible block without any explicit reset.
 */
public abstract class SpikingNeuron extends Layer {

    /** Spikes and the membrane potentials after charge, before reset (both {@code [T, B, ...]}). */
    public record Trace(NDArray spikes, NDArray potentials) implements AutoCloseable {
        @Override
        public void close() {
            spikes.close();
            potentials.close();
        }
    }

    protected final double threshold;
    protected final Surrogate surrogate;
    private boolean detachReset = true;

    protected SpikingNeuron(double threshold, Surrogate surrogate) {
        this.threshold = threshold;
        this.surrogate = surrogate;
    }

    /**
     * SpikingJelly's {@code detach_reset}: true (the default here) takes the reset path off the graph; false keeps it
     * on, so the gradient also flows through {@code (1 - s)} into earlier steps and autograd keeps float copies of
     * {@code 1 - s} and the potential. Returns this neuron.
     */
    public SpikingNeuron setDetachReset(boolean detach) {
        this.detachReset = detach;
        return this;
    }

    public boolean detachReset() { return detachReset; }

    /** The charge step: new potential from the previous (post-reset) potential {@code v} and input {@code x}. */
    protected abstract NDArray charge(NDArray v, NDArray x);

    /** Kind name for summaries, e.g. {@code IF} or {@code LIF(tau=1.5)}. */
    public abstract String kind();

    public Surrogate surrogate() { return surrogate; }

    public double threshold() { return threshold; }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        return run(x, false).spikes();
    }

    /** Runs all time steps; with {@code keepPotentials} also returns the pre-reset potentials. */
    public Trace run(NDArray x, boolean keepPotentials) {
        long steps = x.getShape().get(0);
        NDList spikes = new NDList((int) steps);
        NDList potentials = keepPotentials ? new NDList((int) steps) : null;
        NDArray out;
        NDArray pot = null;
        try (NDScope scope = new NDScope()) {
            NDArray thr = Tensors.constant(x, threshold);
            NDArray zero = Tensors.constant(x, 0.0);
            NDArray v = null;
            for (long t = 0; t < steps; t++) {
                NDArray next;
                try (NDScope step = new NDScope()) {
                    NDArray xt = x.get(t);
                    NDArray h = v == null ? charge(null, xt) : charge(v, xt);
                    NDArray s;
                    try (NDArray centred = h.sub(thr)) {
                        s = SpikeFunction.fire(centred, surrogate);
                        if (detachReset) {
                            // 1 - stopGradient(s) as a boolean: the spike is H(centred) with H(0) = 1, so "no spike"
                            // is exactly centred < 0. Not part of the graph (the reset path is detached).
                            try (NDArray keep = centred.lt(zero)) {
                                // hard reset to 0. The multiplication saves its other operand for backward: a boolean
                                // mask is 1 byte per element where a float 0/1 mask would be 4 (8 in float64), kept
                                // for every neuron of a recomputed block until its backward has run.
                                next = h.mul(keep);
                            }
                        } else {
                            // hard reset to 0 on the graph, SpikingJelly's (1 - s) * v: the product saves both
                            // float operands, and the gradient reaches h through the spike's surrogate too
                            try (NDArray one = Tensors.constant(x, 1.0); NDArray notSpiked = one.sub(s)) {
                                next = notSpiked.mul(h);
                            }
                        }
                    }
                    spikes.add(s);
                    NDScope.unregister(s, next);
                    if (keepPotentials) {
                        potentials.add(h);
                        NDScope.unregister(h);
                    }
                }
                if (v != null) {
                    v.close();
                }
                v = next;
            }
            v.close();
            out = NDArrays.stack(spikes);
            NDScope.unregister(out);
            if (keepPotentials) {
                pot = NDArrays.stack(potentials);
                NDScope.unregister(pot);
            }
        } finally {
            spikes.close();
            if (potentials != null) {
                potentials.close();
            }
        }
        return new Trace(out, pot);
    }
}
