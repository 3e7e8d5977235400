package org.revbench.core.baseline;

import ai.djl.ndarray.NDManager;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Linear;
import org.revbench.core.nn.Pooling;
import org.revbench.core.nn.Residual;
import org.revbench.core.nn.Sequential;
import org.revbench.core.nn.SpikingLayers;
import org.revbench.core.nn.TimeLayers;

/**
 * MS-ResNet (membrane-shortcut spiking ResNet), the non-reversible baseline of the papers' tables, as the
 * RevSNN public code defines it (docs/papers.md, ParaRevSNN architectures).
 *
 * <ul>
 *   <li>block: neuron -> conv3x3(stride) -> BN -> neuron -> conv3x3 -> BN, plus a shortcut on the
 *       membrane (pre-spike) values: identity, or neuron -> conv1x1(stride) -> BN when the shape changes;</li>
 *   <li>head: neuron -> global average pool -> Linear per time step -> mean over T.</li>
 * </ul>
 * CIFAR variant: stem conv3x3 3->64 + BN on the static image, then repeated T times. DVS variant: the stem
 * conv3x3 (stride 2) + BN + max-pool(3,2,1) runs on every frame of the event input. ImageNet variant (Hu et al.'s
 * MS-ResNet-34 of T-RevSNN Table 2): the torchvision stem, conv7x7 (stride 2) + BN + max-pool(3,2,1), on the static
 * image, then repeated T times; with blocks [3,4,6,3] and 1000 classes it has torchvision ResNet-34's 21,797,672
 * parameters (the paper's 21.8M).
 */
public final class MsResNet {

    /** The architecture as data; the input channels come from the model's {@code InputSpec}. */
    public record Config(int stemChannels, int stemKernel, int stemStride, boolean stemMaxPool, boolean eventInput,
                         int[] widths, int[] strides, int[] blocks) {}

    private MsResNet() {}

    public static Config cifar(int[] blocks) {
        return new Config(64, 3, 1, false, false, new int[] {64, 128, 256, 512}, new int[] {1, 2, 2, 2}, blocks);
    }

    /** For 224x224 images: stem conv7x7 stride 2 + BN + max-pool(3,2,1), stages 64/128/256/512. */
    public static Config imagenet(int[] blocks) {
        return new Config(64, 7, 2, true, false, new int[] {64, 128, 256, 512}, new int[] {1, 2, 2, 2}, blocks);
    }

    public static Config dvs20() {
        return new Config(16, 3, 2, true, true, new int[] {16, 32, 64}, new int[] {1, 2, 2}, new int[] {3, 3, 3});
    }

    public static Network build(String id, Config c, NeuronSpec neuron, InputSpec input, ModelOptions options,
                                NDManager manager) {
        Sequential net = new Sequential();
        Sequential stem = SpikingLayers.convBn(input.channels(), c.stemChannels(), c.stemKernel(), c.stemStride());
        if (c.stemMaxPool()) {
            stem.add("pool", Pooling.max(3, 2, 1));
        }
        net.add("stem", stem);
        if (!c.eventInput()) {
            net.add("encode", TimeLayers.repeat()); // direct encoding: the stem output repeated over T
        }
        int in = c.stemChannels();
        for (int s = 0; s < c.widths().length; s++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < c.blocks()[s]; b++) {
                int stride = b == 0 ? c.strides()[s] : 1;
                stage.add(basicBlock(neuron, in, c.widths()[s], stride));
                in = c.widths()[s];
            }
            net.add("layer" + (s + 1), stage);
        }
        Sequential head = new Sequential()
                .add("sn", neuron.create())
                .add("pool", Pooling.globalAvg())
                .add("fc", new Linear(in, options.classes()))
                .add("mean", TimeLayers.mean());
        net.add("head", head);
        return new SegmentedNetwork(id, options, input, SegmentedNetwork.autograd(net), manager);
    }

    static Layer basicBlock(NeuronSpec neuron, int in, int out, int stride) {
        Sequential body = new Sequential()
                .add("a", SpikingLayers.spikeConvBn(neuron, in, out, 3, stride))
                .add("b", SpikingLayers.spikeConvBn(neuron, out, out, 3, 1));
        Layer shortcut = stride != 1 || in != out ? SpikingLayers.spikeConvBn(neuron, in, out, 1, stride) : null;
        return new Residual(body, shortcut);
    }

}
