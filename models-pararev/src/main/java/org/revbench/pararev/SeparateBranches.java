package org.revbench.pararev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.engine.Autograd;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.reversible.Coupling;

/**
 * The fusion ablation of {@link FusedBranches}: {@code [G_i(y1), F_{i+1}(y1)]} computed by the two branches one
 * after the other, as a sequential implementation of the parallel coupling would. Same function, same parameter
 * count; measuring a model built with it against the fused one isolates what the fusion itself buys.
 */
final class SeparateBranches extends BranchPair {

    private final Layer g;
    private final Layer f;

    SeparateBranches(NeuronSpec neuron, int half) {
        this.g = addChild("G", SpikingBranch.of(neuron, half));
        this.f = addChild("F", SpikingBranch.of(neuron, half));
    }

    @Override
    public NDArray forward(NDArray y1, ForwardContext ctx) {
        try (NDArray gy = g.forward(y1, ctx); NDArray fy = f.forward(y1, ctx)) {
            return gy.concat(fy, Coupling.CHANNEL_AXIS);
        }
    }

    /** F, then G, each recomputed and back-propagated on its own, as a sequential implementation would. */
    @Override
    void backwardInPlace(NDArray in, NDArray dOut, NDArray out, ForwardContext ctx) {
        for (Layer fn : new Layer[] {f, g}) {
            try (NDArray o = fn.forward(in, ctx)) {
                Autograd.backward(o, dOut);
                Autograd.withRecording(false, () -> out.subi(o));
            }
        }
    }
}
