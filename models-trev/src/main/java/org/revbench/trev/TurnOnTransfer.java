package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.engine.Autograd;
import org.revbench.core.nn.Initializer;
import org.revbench.core.nn.Module;
import org.revbench.core.nn.Parameter;

/**
 * The temporal turn-on neuron at the end of a stage, with its temporally reversible transfer (T-RevSNN Eq. 9-11).
 *
 * <p>The paper's turn-on neuron is a LIF neuron without reset whose potential carries over time,
 * {@code V[t+1] = (1 - 1/tau) V[t] + (1/tau) W S[t+1]} (Eq. 1), invertible as
 * {@code V[t] = (1 - 1/tau)^-1 (V[t+1] - (1/tau) W S[t+1])} (Eq. 9); the multi-level form (Eq. 10) adds the next
 * stage's previous-step potential to the input, and stays invertible (Eq. 11) when the stages are undone from the
 * deepest down. As in the public code, the potential is a stage state {@code c_l} and the update is
 * <pre>  c_l[t] = L_l(c_{l-1}[t], c_{l+1}[t-1]) + a_l * c_l[t-1]</pre>
 * with {@code L_l} the {@link StageLevel} (which stands for {@code (1/tau) W S}: the {@code 1/tau} is absorbed into its
 * weights, and the next stage enters through it, up-sampled, rather than with its own decay as Eq. 10 writes it) and
 * {@code a_l} the decay {@code 1 - 1/tau} made a trainable per-channel parameter, {@code [1, C, 1, 1]}, initialised
 * to 0.5 (tau = 2). The inverse is {@code c_l[t-1] = (c_l[t] - L_l(...)) / a_l} (Eq. 9/11). The state is never reset
 * and is not itself spiked here: its consumers spike it (the next stage's down-sampling, the previous stage's
 * up-sampling, the head). The paper's Eq. 11 as printed is garbled (its sum multiplies the input term); this is the
 * inverse of Eq. 10 that the public code computes.
 *
 * <p>Invertibility needs {@code a_l != 0}: before every forward, {@link #keepInvertible} moves each entry to at least
 * {@code 1e-3} in magnitude, keeping its sign (the public code's {@code _clamp_abs}; an entry of exactly 0, which the
 * public code would leave at 0 and then divide by, is moved to {@code +1e-3}).
 */
public final class TurnOnTransfer extends Module {

    /** The smallest magnitude of {@code a_l} (public code). */
    public static final double MIN_MAGNITUDE = 1e-3;
    /** {@code a_l}'s initial value (public code's {@code shortcut_scale_init_value}; tau = 2). */
    public static final double INITIAL_DECAY = 0.5;

    private final Parameter decay;

    public TurnOnTransfer(int channels) {
        decay = addParameter(new Parameter("alpha", new Shape(1, channels, 1, 1), true, Initializer.constant(INITIAL_DECAY)));
    }

    /** {@code a_l}, {@code [1, C, 1, 1]}. */
    public Parameter decay() { return decay; }

    /**
     * {@code c_l[t] = f + a_l * previous} (recorded when recording is on); {@code previous} null means the first time
     * step, whose previous state is zero. Returns a new handle; closes neither argument.
     */
    public NDArray next(NDArray f, NDArray previous) {
        if (previous == null) {
            return f.reshape(f.getShape()); // a view, recorded like f (duplicate() would cut the graph)
        }
        try (NDArray carried = previous.mul(decay.array())) {
            return f.add(carried);
        }
    }

    /** Eq. 9/11: {@code c_l[t-1] = (current - f) / a_l}, with recording off. */
    public NDArray previous(NDArray current, NDArray f) {
        return Autograd.withRecording(false, () -> {
            try (NDArray d = current.sub(f)) {
                return d.div(decay.array());
            }
        });
    }

    /**
     * Accumulates the gradient of {@code a_l} in {@code c_l[t] = f + a_l * previous} for the loss gradient {@code g} of
     * {@code c_l[t]}: back-propagates {@code g} through a recorded {@code a_l * previous} ({@code previous} needs no
     * gradient: it is a reconstruction, or a stored state whose own gradient {@link #carryGradient} gives).
     */
    public void backPropagateDecay(NDArray previous, NDArray g) {
        Autograd.withRecording(true, () -> {
            try (NDArray carried = previous.mul(decay.array())) {
                Autograd.backward(carried, g);
            }
            return null;
        });
    }

    /** {@code a_l * g} with recording off: the gradient that the shortcut carries back to the previous step. */
    public NDArray carryGradient(NDArray g) {
        return Autograd.withRecording(false, () -> g.mul(decay.array()));
    }

    /** Moves every {@code |a_l| < 1e-3} to {@code 1e-3} with its sign (0 to +1e-3), in place, recording off. */
    public void keepInvertible() {
        Autograd.withRecording(false, () -> {
            // applied unconditionally (entries already >= 1e-3 in magnitude come back bit for bit): no device sync
            NDArray a = decay.array();
            try (NDArray magnitude = a.abs(); NDArray negative = a.lt(0); NDArray floor = magnitude.maximum(MIN_MAGNITUDE);
                 NDArray negFloor = floor.neg(); NDArray fixed = NDArrays.where(negative, negFloor, floor)) {
                a.subi(a).addi(fixed); // in place: the parameter's tensor (and its gradient slot) stays the same
            }
            return null;
        });
    }
}
