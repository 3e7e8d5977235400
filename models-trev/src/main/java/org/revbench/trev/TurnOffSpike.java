package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * A temporal turn-off spiking neuron (T-RevSNN Eq. 6-8): no membrane potential is carried from one time step to the
 * next, so the neuron is a stateless function of its input at the same step, {@code S = Theta(V)} with
 * {@code V[t] = W S[t]} (Eq. 6). Its forward is the public code's {@code Quant}: {@code floor(clamp(x, 0, 1) + 0.5)},
 * a spike where the input is at least 0.5 (a threshold of 0.5 on an input clamped to [0, 1]). Its backward is
 * straight through inside [0, 1] (both ends included) and zero outside, as {@code Quant.backward}.
 *
 * <p>Why the straight-through form {@code h + (x m - stopGradient(x m))} with a mask {@code m} instead of a recorded
 * {@code clamp}: DJL's {@code clip} wraps its bounds in temporary tensors that are freed while the graph still points
 * at them (docs/architecture.md, Engine notes). The 0/1 value {@code h} and the mask are computed with recording off,
 * so no Java number ever enters a recorded operation, and the forward value is exactly {@code h} ({@code y - y = 0}
 * exactly).
 *
 * <p>At evaluation the public code uses {@code clamp(x, 0, 1).round_()}, which rounds an input of exactly 0.5 to 0
 * (half to even) where the training forward gives 1; this layer uses the training forward in both modes (the two
 * differ only on inputs equal to 0.5).
 */
public final class TurnOffSpike extends Layer {

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        return apply(x);
    }

    /**
     * The spike of {@code x}, recorded with the straight-through gradient when recording is on.
     *
     * <p>Three passes over {@code x} when nothing records (clamp, in-place add, floor), the value alone: this is every
     * spike of inference and of the memory-saving forward, and on the hidden {@code 4C} activations of the blocks it
     * is most of the network's elementwise work (T-RevSNN-tiny at T 16: seven passes and a bool-to-float copy per spike
     * before). The mask of the straight-through gradient, where it is needed, is {@code clamp(x, 0, 1) == x}: true
     * exactly inside [0, 1] (ends included; false for NaN), as {@code x >= 0 && x <= 1} was.
     */
    public static NDArray apply(NDArray x) {
        DataType dt = x.getDataType();
        NDArray h;
        NDArray mask = null;
        boolean before = Autograd.setRecording(false);
        try (NDArray clamped = x.clip(0, 1); NDArray half = Tensors.constant(x, 0.5)) {
            if (before) {
                try (NDArray inside = clamped.eq(x)) {
                    mask = inside.toType(dt, false);
                }
            }
            clamped.addi(half); // in place: recording is off, and clamped is ours (a constant: a number costs DJL a tensor from Java)
            h = clamped.floor();
        } catch (RuntimeException e) {
            if (mask != null) {
                mask.close();
            }
            throw e;
        } finally {
            Autograd.setRecording(before);
        }
        if (!before) {
            return h; // nothing records: the value alone
        }
        NDArray m = mask;
        try (h; m; NDArray y = x.mul(m); NDArray cut = y.stopGradient(); NDArray zero = y.sub(cut)) {
            return h.add(zero);
        }
    }
}
