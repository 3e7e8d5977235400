package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Arrays;
import java.util.List;

/**
 * the reversible node paper's inverse-gradient backward (Sec. 4, Fig. 3c) for one time step: the vector-Jacobian product of Eq. 3-8
 * in closed form, evaluated on the values the inverse computation (Eq. 9-12, {@link NodeInverse}) has just produced,
 * so the forward is never re-run and no graph is built.
 *
 * <p>The paper's Eq. 13-14 are garbled in the available text; the Jacobian here is derived from Eq. 3-8. Per
 * element, with {@code k = 1/tau}, {@code s_i = g'(M_i - Vth)} the surrogate derivative and
 * {@code r_i = Vres - M_i} ({@code dV_i/dY_i}), the local partial derivatives of group {@code i} are
 * <pre>
 *   dM_i/dP_i = 1 - k          dM_i/dU_i = k
 *   dY_i/dM_i = s_i            dY_i/dX_{(i+1) mod n} = beta
 *   dV_i/dM_i = 1 - Y_i        dV_i/dY_i = Vres - M_i     dV_i/dP_i = alpha
 * </pre>
 * and since {@code U_i = Y_{i-1}} (or {@code X_0}), the gradients flow back through the groups in reverse order.
 * Given the loss gradients {@code gY_i} (from the layers above, at this step) and {@code gV_i} (from the next time
 * step, through its {@code P}), for {@code i = n-1..0}:
 * <pre>
 *   gYtot_i = gY_i + k gM_{i+1} [i < n-1] + gV_i (Vres - M_i)     total gradient of Y_i
 *   gS_i    = gYtot_i, or without the gV_i (Vres - M_i) term when the reset is detached
 *   gM_i    = gS_i s_i + gV_i (1 - Y_i)
 *   gP_i    = gM_i (1 - k) + gV_i alpha                           -> gV of the previous step
 *   gX_{(i+1) mod n} += beta gYtot_i
 *   gX_0    += k gM_0                                             (group 0's charge input)
 * </pre>
 * For {@code n = 2}, within one step and ignoring the potentials, {@code dY_1/dX_1 = s_1 k},
 * {@code dY_2/dX_1 = s_2 k s_1 k + beta}, {@code dY_1/dX_2 = beta}, {@code dY_2/dX_2 = s_2 k beta}; so
 * {@code d(Y_1 + Y_2)/dX_1 = s_1 k (1 + s_2 k) + beta}, which is the form of the paper's (garbled) Eq. 13.
 */
public final class InverseGradientBackward {

    private InverseGradientBackward() {}

    /** Input gradients and previous-potential gradients of one step, per group. */
    record Gradients(List<NDArray> inputs, List<NDArray> previous) implements AutoCloseable {
        @Override
        public void close() {
            inputs.forEach(NDArray::close);
            previous.forEach(NDArray::close);
        }
    }

    /** {@code g[j] += a}, taking ownership of {@code a} and closing the replaced sum. */
    private static void accumulate(NDArray[] g, int j, NDArray a) {
        if (g[j] == null) {
            g[j] = a;
        } else {
            NDArray sum = g[j].add(a);
            g[j].close();
            a.close();
            g[j] = sum;
        }
        NDScope.unregister(g[j]);
    }

    /**
     * The step's VJP. {@code outputs} and {@code membranes} are the step's {@code Y_i} and {@code M_i} (from the
     * inverse); {@code gOutputs} the loss gradient of {@code Y_i}; {@code gPotentials} that of {@code V_i} (null at
     * the last step, where nothing depends on {@code V}). Recording must be off.
     */
    static Gradients step(List<NDArray> outputs, List<NDArray> membranes, List<NDArray> gOutputs,
                          List<NDArray> gPotentials, NodeEquations.Constants c, ReversibleNodeSpec spec) {
        int n = outputs.size();
        NDArray[] gx = new NDArray[n];
        NDArray[] gp = new NDArray[n];
        NDArray carry = null; // k * gM_{i+1}: gradient reaching Y_i through the next group's charge (owned here)
        for (int i = n - 1; i >= 0; i--) {
            NDArray used = carry;
            try (NDScope scope = new NDScope()) {
                NDArray y = outputs.get(i);
                NDArray m = membranes.get(i);
                NDArray gv = gPotentials == null ? null : gPotentials.get(i);
                NDArray gYext = used == null ? gOutputs.get(i) : gOutputs.get(i).add(used);
                NDArray gYtot = gv == null ? gYext : gYext.add(gv.mul(c.vres.sub(m)));
                NDArray gS = spec.detachReset() ? gYext : gYtot;
                NDArray sg = spec.surrogate().derivative(m.sub(c.vth));
                NDArray gM = gv == null ? gS.mul(sg) : gS.mul(sg).add(gv.mul(c.one.sub(y)));
                gp[i] = gv == null ? gM.mul(c.keep) : gM.mul(c.keep).add(gv.mul(c.alpha));
                NDScope.unregister(gp[i]);
                accumulate(gx, (i + 1) % n, gYtot.mul(c.beta));
                NDArray toU = gM.mul(c.k);
                NDScope.unregister(toU);
                if (i == 0) {
                    accumulate(gx, 0, toU);
                    carry = null;
                } else {
                    carry = toU;
                }
            }
            if (used != null) {
                used.close();
            }
        }
        return new Gradients(Arrays.asList(gx), Arrays.asList(gp));
    }
}
