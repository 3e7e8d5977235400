package org.revbench.core.baseline;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.revbench.core.model.AutogradSegment;
import org.revbench.core.model.CheckpointedSegment;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.model.Segment;
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

    /**
     * The architecture as data; the input channels, and whether event frames arrive (one per step) or a static image
     * (encoded by repeating the stem's output over T), come from the model's {@code InputSpec}.
     */
    public record Config(int stemChannels, int stemKernel, int stemStride, boolean stemMaxPool,
                         int[] widths, int[] strides, int[] blocks) {}

    private MsResNet() {}

    public static Config cifar(int[] blocks) {
        return new Config(64, 3, 1, false, new int[] {64, 128, 256, 512}, new int[] {1, 2, 2, 2}, blocks);
    }

    /** For 224x224 images: stem conv7x7 stride 2 + BN + max-pool(3,2,1), stages 64/128/256/512. */
    public static Config imagenet(int[] blocks) {
        return new Config(64, 7, 2, true, new int[] {64, 128, 256, 512}, new int[] {1, 2, 2, 2}, blocks);
    }

    public static Config dvs20() {
        return new Config(16, 3, 2, true, new int[] {16, 32, 64}, new int[] {1, 2, 2}, new int[] {3, 3, 3});
    }

    /**
     * How a training step keeps MS-ResNet's activations: all of them (plain back-propagation through time), or only
     * the inputs of checkpointed segments, each recomputed in backward ({@link CheckpointedSegment}).
     *
     * @param blocksPerSegment residual blocks per checkpointed segment, counted across stages; 0: one segment per
     *                         stage; -1: no checkpointing
     */
    public record Checkpointing(int blocksPerSegment) {

        public static final Checkpointing NONE = new Checkpointing(-1);
        public static final Checkpointing PER_STAGE = new Checkpointing(0);

        public Checkpointing {
            if (blocksPerSegment < -1) {
                throw new IllegalArgumentException("blocks per checkpointed segment must be >= -1, got " + blocksPerSegment);
            }
        }

        /** Every {@code k}-th block starts a checkpointed segment. */
        public static Checkpointing everyBlocks(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
            return new Checkpointing(k);
        }

        /**
         * k = round(sqrt(n)) for n blocks: about sqrt(n) segment boundaries kept and one segment of about sqrt(n)
         * blocks recomputed at a time, the O(sqrt(n)) memory of Chen et al.
         */
        public static Checkpointing sqrt(int[] blocks) {
            return everyBlocks((int) Math.max(1, Math.round(Math.sqrt(Arrays.stream(blocks).sum()))));
        }

        public boolean enabled() { return blocksPerSegment >= 0; }

        /** As a model description says it. */
        public String describe() {
            return !enabled() ? "no checkpointing" : blocksPerSegment == 0 ? "one checkpointed segment per stage"
                    : "a checkpointed segment every " + blocksPerSegment + " blocks";
        }
    }

    public static Network build(String id, Config c, NeuronSpec neuron, InputSpec input, ModelOptions options,
                                NDManager manager) {
        return build(id, c, neuron, input, options, Checkpointing.NONE, manager);
    }

    /**
     * Builds the network; with {@code checkpointing} enabled the same layers, in the same order (so one seed gives
     * the same weights), are cut into checkpointed segments: the stem, then the blocks as the policy groups them,
     * then the head, which stays plain autograd (the loss is computed from it).
     */
    public static Network build(String id, Config c, NeuronSpec neuron, InputSpec input, ModelOptions options,
                                Checkpointing checkpointing, NDManager manager) {
        Sequential net = new Sequential();
        List<Layer> chunks = new ArrayList<>();
        Sequential stem = SpikingLayers.convBn(input.channels(), c.stemChannels(), c.stemKernel(), c.stemStride());
        if (c.stemMaxPool()) {
            stem.add("pool", Pooling.max(3, 2, 1));
        }
        net.add("stem", stem);
        if (!input.events()) {
            net.add("encode", TimeLayers.repeat()); // direct encoding: the stem output repeated over T
        }
        chunks.add(net);
        int in = c.stemChannels();
        Sequential chunk = new Sequential();
        int inChunk = 0;
        for (int s = 0; s < c.widths().length; s++) {
            Sequential stage = new Sequential();
            if (checkpointing.blocksPerSegment() == 0 && inChunk > 0) {
                chunks.add(chunk);
                chunk = new Sequential();
                inChunk = 0;
            }
            for (int b = 0; b < c.blocks()[s]; b++) {
                int stride = b == 0 ? c.strides()[s] : 1;
                if (checkpointing.blocksPerSegment() > 0 && inChunk == checkpointing.blocksPerSegment()) {
                    chunks.add(chunk);
                    chunk = new Sequential();
                    inChunk = 0;
                }
                Layer block = basicBlock(neuron, in, c.widths()[s], stride);
                (checkpointing.enabled() ? chunk : stage).add(block);
                inChunk++;
                in = c.widths()[s];
            }
            if (!checkpointing.enabled()) {
                net.add("layer" + (s + 1), stage);
            }
        }
        if (checkpointing.enabled()) {
            chunks.add(chunk);
        }
        Sequential head = new Sequential()
                .add("sn", neuron.create())
                .add("pool", Pooling.globalAvg())
                .add("fc", new Linear(in, options.classes()))
                .add("mean", TimeLayers.mean());
        if (!checkpointing.enabled()) {
            net.add("head", head);
            return new SegmentedNetwork(id, options, input, SegmentedNetwork.autograd(net), manager);
        }
        List<Segment> segments = new ArrayList<>();
        for (Layer part : chunks) {
            segments.add(new CheckpointedSegment(part));
        }
        segments.add(new AutogradSegment(head));
        return new SegmentedNetwork(id, options, input, segments, manager);
    }

    static Layer basicBlock(NeuronSpec neuron, int in, int out, int stride) {
        Sequential body = new Sequential()
                .add("a", SpikingLayers.spikeConvBn(neuron, in, out, 3, stride))
                .add("b", SpikingLayers.spikeConvBn(neuron, out, out, 3, 1));
        Layer shortcut = stride != 1 || in != out ? SpikingLayers.spikeConvBn(neuron, in, out, 1, stride) : null;
        return new Residual(body, shortcut);
    }

}
