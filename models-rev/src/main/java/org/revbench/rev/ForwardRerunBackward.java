package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;
import org.revbench.core.engine.Autograd;

/**
 * The usual reversible backward (checkpointing style, revnode Fig. 3b) for one time step: with the step's input and
 * previous potential already reconstructed by {@link NodeInverse}, re-run the step's forward (Eq. 3-8) on fresh
 * leaves with recording on and back-propagate the output and potential gradients through that graph.
 */
public final class ForwardRerunBackward {

    private ForwardRerunBackward() {}

    /** The gradients of the step's input {@code X} and previous potential {@code V'}, each {@code [B, ..., L]}. */
    record Gradients(NDArray input, NDArray previous) implements AutoCloseable {
        @Override
        public void close() {
            input.close();
            previous.close();
        }
    }

    /**
     * @param x           the reconstructed input of the step, {@code [B, ..., L]}
     * @param p           the reconstructed previous potential
     * @param gOutput     loss gradient of the step's output {@code Y}
     * @param gPotential  loss gradient of the step's potential {@code V} (null at the last step)
     */
    static Gradients step(NDArray x, NDArray p, NDArray gOutput, NDArray gPotential, NodeEquations.Constants c,
                          ReversibleNodeSpec spec) {
        return Autograd.withRecording(true, () -> {
            try (NDScope scope = new NDScope()) {
                NDArray xl = Autograd.detachedLeaf(x);
                NDArray pl = Autograd.detachedLeaf(p);
                List<NDArray> xg = NodeEquations.groups(xl, spec.groups());
                List<NDArray> pg = NodeEquations.groups(pl, spec.groups());
                try (NodeEquations.Step s = NodeEquations.forward(xg, pg, c, spec, false)) {
                    NDArray y = NodeEquations.join(s.outputs());
                    if (gPotential == null) {
                        Autograd.backward(y, gOutput);
                    } else {
                        // one backward over [Y, V] joined along the last axis, seeded with [gY, gV]
                        NDArray v = NodeEquations.join(s.potentials());
                        int axis = y.getShape().dimension() - 1;
                        NDArray both = y.concat(v, axis);
                        NDArray seed = gOutput.concat(gPotential, axis);
                        Autograd.backward(both, seed);
                    }
                }
                NDArray gx = Autograd.gradient(xl);
                NDArray gp = Autograd.gradient(pl);
                if (gp == null) {
                    gp = p.zerosLike();
                }
                NDScope.unregister(gx, gp);
                return new Gradients(gx, gp);
            }
        });
    }
}
