package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.engine.Tensors;
import org.revbench.core.neuron.SpikeFunction;

/**
 * One time step of the reversible node paper's node, forward (Eq. 3-8), on the state split into groups along the last dimension.
 *
 * <p>Generalisation to {@code n} groups (Sec. 5.4 says only "Eq. 3-5 is then executed sequentially for each group";
 * this is our reading, and it reduces to Eq. 3-8 for {@code n = 2}): groups run in order {@code i = 0..n-1}
 * (0-based; the paper's group 1 is {@code i = 0}) with
 * <pre>
 *   U_0 = X_0,  U_i = Y_{i-1} (i > 0)                  charge input: the previous group's output (Eq. 6 uses Y1)
 *   M_i = P_i + (U_i - P_i) / tau                       Eq. 3, 6 (P_i = V_i of the previous step, 0 before the first)
 *   Y_i = H(M_i - Vth) + beta X_{(i+1) mod n}           Eq. 4, 7 (H(0) = 1; the cross input is the next group's,
 *                                                       cyclically: X_2 for Y_1 and X_1 for Y_2 when n = 2)
 *   V_i = (1 - Y_i) M_i + Y_i Vres + alpha P_i          Eq. 5, 8
 * </pre>
 * Every scalar inside a recorded computation is an owned constant ({@link Constants}); see docs/architecture.md, Engine
 * notes.
 */
final class NodeEquations {

    private NodeEquations() {}

    /** The scalars of Eq. 3-12 as owned tensors of one dtype; close after the computation (libtorch keeps what a graph needs). */
    static final class Constants implements AutoCloseable {
        final NDArray k;        // 1 / tau
        final NDArray keep;     // 1 - 1/tau
        final NDArray vth;
        final NDArray vres;
        final NDArray alpha;
        final NDArray beta;
        final NDArray one;

        Constants(NDArray like, ReversibleNodeSpec spec) {
            k = Tensors.constant(like, 1.0 / spec.tau());
            keep = Tensors.constant(like, 1.0 - 1.0 / spec.tau());
            vth = Tensors.constant(like, spec.vth());
            vres = Tensors.constant(like, spec.vres());
            alpha = Tensors.constant(like, spec.alpha());
            beta = Tensors.constant(like, spec.beta());
            one = Tensors.constant(like, 1.0);
        }

        @Override
        public void close() {
            for (NDArray a : new NDArray[] {k, keep, vth, vres, alpha, beta, one}) {
                a.close();
            }
        }
    }

    /** Outputs of one step, per group; {@code membranes} is null unless asked for. */
    record Step(List<NDArray> outputs, List<NDArray> potentials, List<NDArray> membranes) implements AutoCloseable {
        @Override
        public void close() {
            outputs.forEach(NDArray::close);
            potentials.forEach(NDArray::close);
            if (membranes != null) {
                membranes.forEach(NDArray::close);
            }
        }
    }

    /**
     * Eq. 3-8 for one step. {@code x} and {@code p} are the step's input and previous potential, each as {@code n}
     * group slices; records when recording is on. The returned arrays are new; the inputs are not closed.
     */
    static Step forward(List<NDArray> x, List<NDArray> p, Constants c, ReversibleNodeSpec spec, boolean keepMembranes) {
        int n = x.size();
        List<NDArray> ys = new ArrayList<>(n);
        List<NDArray> vs = new ArrayList<>(n);
        List<NDArray> ms = keepMembranes ? new ArrayList<>(n) : null;
        for (int i = 0; i < n; i++) {
            NDArray pi = p.get(i);
            NDArray u = i == 0 ? x.get(0) : ys.get(i - 1);
            try (NDScope scope = new NDScope()) {
                NDArray m = pi.add(u.sub(pi).mul(c.k));                                 // Eq. 3, 6
                NDArray s = SpikeFunction.fire(m.sub(c.vth), spec.surrogate());          // H(M - Vth)
                NDArray bx = x.get((i + 1) % n).mul(c.beta);
                NDArray y = s.add(bx);                                                   // Eq. 4, 7
                NDArray yReset = spec.detachReset() ? s.stopGradient().add(bx) : y;
                NDArray v = c.one.sub(yReset).mul(m).add(yReset.mul(c.vres)).add(pi.mul(c.alpha)); // Eq. 5, 8
                ys.add(y);
                vs.add(v);
                NDScope.unregister(y, v);
                if (keepMembranes) {
                    ms.add(m);
                    NDScope.unregister(m);
                }
            }
        }
        return new Step(ys, vs, ms);
    }

    /** Splits the last dimension into {@code n} equal groups (views). */
    static NDList groups(NDArray a, int n) {
        int axis = a.getShape().dimension() - 1;
        long last = a.getShape().get(axis);
        if (last % n != 0) {
            throw new IllegalArgumentException("the node splits the last dimension into " + n + " groups, but "
                    + a.getShape() + " has " + last + " there (revnode Sec. 5.4: the group count must divide it)");
        }
        return a.split(n, axis);
    }

    /** Joins group slices along the last dimension (a copy). */
    static NDArray join(List<NDArray> parts) {
        int axis = parts.get(0).getShape().dimension() - 1;
        return NDArrays.concat(new NDList(parts), axis);
    }
}
