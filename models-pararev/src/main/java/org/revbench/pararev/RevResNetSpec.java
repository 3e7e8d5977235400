package org.revbench.pararev;

import java.util.Arrays;
import org.revbench.core.neuron.NeuronSpec;

/**
 * The reversible spiking ResNet family of RevSResNet (Zhang & Zhang, AAAI 2024) and ParaRevSNN (seed 000),
 * as data: stem, per-stage half widths and block counts, neuron. Reference-facts section 3.
 *
 * <ul>
 *   <li>CIFAR: stem conv3x3 3->2*h0 + BN (no spike) on the image, repeated over T; stages of half widths
 *       64/128/256/448; between stages neuron -> AvgPool(3, s2, p1) -> conv1x1 -> BN; head neuron -> global average
 *       pool -> Linear -> mean over T.</li>
 *   <li>DVS: stem conv3x3 2->32 stride 2 + BN + AvgPool(3, 2, 1) on every frame; half widths 16/32/48; LIF.</li>
 * </ul>
 * Depth N = 5 + 4 * sum(blocks) (seed 000): each block holds four convolutions.
 */
public record RevResNetSpec(int stemOut, int stemStride, boolean stemPool, boolean events, int[] halfWidths, int[] blocks,
                            NeuronSpec neuron) {

    public RevResNetSpec {
        if (halfWidths.length != blocks.length) {
            throw new IllegalArgumentException("widths " + Arrays.toString(halfWidths) + " vs blocks " + Arrays.toString(blocks));
        }
        for (int b : blocks) {
            if (b < 1) {
                throw new IllegalArgumentException("every stage needs at least one block: " + Arrays.toString(blocks));
            }
        }
    }

    /** CIFAR family with the given blocks per stage. */
    public static RevResNetSpec cifar(int... blocks) {
        return new RevResNetSpec(128, 1, false, false, new int[] {64, 128, 256, 448}, blocks, NeuronSpec.cifarDefault());
    }

    /** DVS family ([1,2,2] is RevSResNet24). */
    public static RevResNetSpec dvs(int... blocks) {
        return new RevResNetSpec(32, 2, true, true, new int[] {16, 32, 48}, blocks, NeuronSpec.dvsDefault());
    }

    /** Layers counted as the papers do: N = 5 + 4 * sum(blocks). */
    public int depth() {
        return 5 + 4 * Arrays.stream(blocks).sum();
    }
}
