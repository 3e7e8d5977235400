package org.revbench.pararev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.neuron.SpikingNeuron;
import org.revbench.core.nn.BatchNorm2d;
import org.revbench.core.nn.Conv2d;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Initializer;
import org.revbench.core.nn.Layer;

/**
 * ParaRevSNN's fused module M (seed 000, Sec. "parallel reversible block"): G of block i and F of block i+1 both
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
final class FusedBranches extends Layer {

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
}
