package org.revbench.pararev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.revbench.core.engine.Autograd;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.neuron.SpikingNeuron;
import org.revbench.core.nn.BatchNorm2d;
import org.revbench.core.nn.Conv2d;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Initializer;
import org.revbench.core.reversible.Coupling;

/**
 * ParaRevSNN's fused module M (ParaRevSNN, Sec. "parallel reversible block"): G of block i and F of block i+1 both
 * read only {@code y1} of block i, so they run as one computation on it, producing {@code [G_i(y1), F_{i+1}(y1)]}
 * stacked along the channels.
 *
 * <p>It computes exactly what the two separate branches (neuron -> conv3x3 -> BN -> neuron -> conv3x3 -> BN)
 * compute: the first neuron is shared (same input, element-wise); the first convolution stacks both branches'
 * filters (p -> 2p); BatchNorm is per channel, so one BN over 2p channels equals two over p; the second convolution is
 * grouped (2 groups), so neither branch sees the other's channels. Parameter count: exactly that of the two branches.
 * The paper names GroupNorm for the first normalisation; a GroupNorm would not reproduce two separate functions,
 * which the paper requires ("yields exactly what the two separate functions yield"), so per-channel BatchNorm is used.
 */
final class FusedBranches extends BranchPair {

    private final int half;
    private final SpikingNeuron sn1;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final SpikingNeuron sn2;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;

    FusedBranches(NeuronSpec neuron, int half) {
        this.half = half;
        // each branch's filters initialised as a separate branch's would be (fan-out of one branch)
        Initializer init = kaimingFanOut(half * 9L);
        sn1 = addChild("sn1", neuron.create());
        conv1 = addChild("conv1", new Conv2d(half, 2 * half, 3, 1, 1, 1, false, init));
        bn1 = addChild("bn1", new BatchNorm2d(2 * half));
        sn2 = addChild("sn2", neuron.create());
        conv2 = addChild("conv2", new Conv2d(2 * half, 2 * half, 3, 1, 1, 2, false, init));
        bn2 = addChild("bn2", new BatchNorm2d(2 * half));
    }

    static Initializer kaimingFanOut(long fanOut) {
        return (shape, random) -> {
            double std = Math.sqrt(2.0 / fanOut);
            double[] v = new double[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextGaussian() * std;
            }
            return v;
        };
    }

    int half() { return half; }

    /** {@code [G_i(y1), F_{i+1}(y1)]} along the channel axis. */
    @Override
    public NDArray forward(NDArray y1, ForwardContext ctx) {
        try (NDArray s1 = sn1.forward(y1, ctx); NDArray c1 = conv1.forward(s1, ctx); NDArray b1 = bn1.forward(c1, ctx);
             NDArray s2 = sn2.forward(b1, ctx); NDArray c2 = conv2.forward(s2, ctx)) {
            return bn2.forward(c2, ctx);
        }
    }

    /**
     * The fused part of M, the shared neuron and the stacked convolution p -> 2p (where the fusion shares work: one
     * neuron and one convolution for both branches), is recomputed once, with its graph. From the convolution's
     * output on, M is two independent computations, one per branch: BatchNorm is per channel, and the second
     * neuron and the grouped convolution never mix G's channels with F's. That rest is recomputed and back-propagated
     * one branch at a time, from the convolution's output cut into two leaves, so only one branch's graph, output and
     * backward temporaries (half-width tensors) are alive at a time instead of both branches' (full-width) together,
     * and the full-width BatchNorm output is never held. Nothing is computed twice: the per-branch BatchNorms and
     * convolutions together are exactly the full-width BatchNorm and the grouped convolution. Then the two leaves'
     * gradients are joined and back-propagated through the fused part.
     */
    @Override
    void backwardInPlace(NDArray in, NDArray dOut, NDArray out, ForwardContext ctx) {
        NDArray c1;
        try (NDArray s1 = sn1.forward(in, ctx)) {
            c1 = conv1.forward(s1, ctx);
        }
        try (c1) {
            NDArray[] grads = new NDArray[2];
            try (NDList parts = Autograd.withRecording(false, () -> c1.split(2, Coupling.CHANNEL_AXIS))) {
                // F (group 1) first, then G (group 0): the stage inverse's order of subtraction
                for (int g = 1; g >= 0; g--) {
                    try (NDArray leaf = Autograd.detachedLeaf(parts.get(g))) {
                        NDArray o;
                        // intermediates closed before the backward: the graph keeps what it needs, and the backward
                        // frees each saved tensor as soon as it has used it
                        try (NDArray b = bn1.forwardChannels(leaf, g * half, half, ctx); NDArray s2 = sn2.forward(b, ctx);
                             NDArray c2 = conv2.forwardGroup(s2, g, ctx)) {
                            o = bn2.forwardChannels(c2, g * half, half, ctx);
                        }
                        try (o) {
                            Autograd.backward(o, dOut);
                            Autograd.withRecording(false, () -> out.subi(o));
                        }
                        grads[g] = Autograd.gradient(leaf);
                    }
                }
            }
            try (NDArray g0 = grads[0]; NDArray g1 = grads[1];
                 NDArray dc1 = Autograd.withRecording(false, () -> g0.concat(g1, Coupling.CHANNEL_AXIS))) {
                Autograd.backward(c1, dc1);
            }
        }
    }
}
