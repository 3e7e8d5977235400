package org.revbench.pararev;

import java.util.Arrays;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.neuron.Surrogates;

/**
 * The reversible spiking ResNet family of RevSResNet (Zhang & Zhang, AAAI 2024) and ParaRevSNN ,
 * as data: stem, per-stage half widths and block counts, neuron. See docs/papers.md, ParaRevSNN architectures.
 *
 * <ul>
 *   <li>CIFAR: stem conv3x3 3->2*h0 + BN (no spike) on the image, repeated over T; stages of half widths
 *       64/128/256/448; between stages neuron -> AvgPool(3, s2, p1) -> conv1x1 -> BN; head neuron -> global average
 *       pool -> Linear -> mean over T.</li>
 *   <li>DVS: stem conv3x3 2->32 stride 2 + BN + AvgPool(3, 2, 1) on every frame; half widths 16/32/48; LIF.</li>
 *   <li>ImageNet (224x224; the "Rev-ResNet-37" that T-RevSNN Tables 2 and 6 measure as S-RevSNN, 24.4M parameters): the
 *       CIFAR stages after an ImageNet ResNet's stem, conv7x7 stride 2 3->2*h0 + BN + MaxPool(3, 2, 1), so the stages run
 *       at 56/28/14/7 as MS-ResNet-34's. Neither ParaRevSNN nor RevSResNet's public code builds an ImageNet network; this
 *       stem is our reading, and with the public code's blocks [1,2,3,2] and 1000 classes it gives 24,413,544
 *       parameters, T-RevSNN's 24.4M.</li>
 * </ul>
 * Depth N = 5 + 4 * sum(blocks) : each block holds four convolutions. Whether the stem runs on every frame of event
 * input or once on an image repeated over T is the model's input spec's ({@code InputSpec#events}), not the family's.
 */
public record RevResNetSpec(int stemOut, int stemKernel, int stemStride, StemPool stemPool, int[] halfWidths,
                            int[] blocks, NeuronSpec neuron) {

    /** The pooling after the stem's conv-BN, if any (3x3, stride 2, padding 1). */
    public enum StemPool { NONE, AVG, MAX }

    private static final int[] CIFAR_HALF_WIDTHS = {64, 128, 256, 448};

    /** IF with ATan(2): the CIFAR and ImageNet models of the RevSNN public code. */
    private static final NeuronSpec IF_ATAN2 = NeuronSpec.integrateAndFire(Surrogates.atan(2));

    /** LIF tau 1.5 with Sigmoid(4): its DVS models. */
    private static final NeuronSpec LIF_SIGMOID4 = NeuronSpec.leaky(1.5, Surrogates.sigmoid(4));

    public RevResNetSpec {
        if (halfWidths.length != blocks.length) {
            throw new IllegalArgumentException("widths " + Arrays.toString(halfWidths) + " vs blocks " + Arrays.toString(blocks));
        }
        for (int b : blocks) {
            if (b < 1) {
                throw new IllegalArgumentException("every stage needs at least one block: " + Arrays.toString(blocks));
            }
        }
        if (stemKernel < 1 || stemKernel % 2 != 1) {
            throw new IllegalArgumentException("the stem kernel must be odd, got " + stemKernel);
        }
        java.util.Objects.requireNonNull(stemPool, "stemPool");
        halfWidths = halfWidths.clone();
        blocks = blocks.clone();
    }

    /** CIFAR family with the given blocks per stage. */
    public static RevResNetSpec cifar(int... blocks) {
        return new RevResNetSpec(128, 3, 1, StemPool.NONE, CIFAR_HALF_WIDTHS, blocks, IF_ATAN2);
    }

    /** ImageNet family (224x224): the CIFAR stages after conv7x7 s2 + BN + MaxPool(3, 2, 1). */
    public static RevResNetSpec imagenet(int... blocks) {
        return new RevResNetSpec(128, 7, 2, StemPool.MAX, CIFAR_HALF_WIDTHS, blocks, IF_ATAN2);
    }

    /** DVS family ([1,2,2] is RevSResNet24). */
    public static RevResNetSpec dvs(int... blocks) {
        return new RevResNetSpec(32, 3, 2, StemPool.AVG, new int[] {16, 32, 48}, blocks, LIF_SIGMOID4);
    }

    /** Layers counted as the papers do: N = 5 + 4 * sum(blocks). */
    public int depth() {
        return 5 + 4 * Arrays.stream(blocks).sum();
    }
}
