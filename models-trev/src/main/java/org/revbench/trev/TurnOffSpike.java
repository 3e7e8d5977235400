package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.revbench.core.engine.Autograd;
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

    /** The spike of {@code x}, recorded with the straight-through gradient when recording is on. */
    public static NDArray apply(NDArray x) {
        DataType dt = x.getDataType();
        NDArray h;
        NDArray mask;
        boolean before = Autograd.setRecording(false);
        try (NDArray clamped = x.clip(0, 1); NDArray shifted = clamped.add(0.5);
             NDArray lo = x.gte(0); NDArray hi = x.lte(1); NDArray inside = lo.logicalAnd(hi)) {
            h = shifted.floor();
            mask = inside.toType(dt, false);
        } finally {
            Autograd.setRecording(before);
        }
        if (!before) {
            mask.close();
            return h; // nothing records: the value alone
        }
        try (h; mask; NDArray y = x.mul(mask); NDArray cut = y.stopGradient(); NDArray zero = y.sub(cut)) {
            return h.add(zero);
        }
    }
}
