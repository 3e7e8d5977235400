package org.revbench.trev;

import java.util.Arrays;
import org.revbench.core.nn.Layer;

/**
 * What fills each stage of a time step's sub-network, after the fusion (seed 002 Table 6, "Ablation study with SNN
 * Block Structure": the temporal reversible design applied to other blocks).
 * <ul>
 *   <li>{@link Kind#CONVNEXT} (the paper's T-RevSNN, {@value Kind#CONVNEXT_OPTION}): two {@link TrevBlock}s per stage,
 *       the second with the tail shared across time steps; stage 3 at stage 2's resolution (56/28/14/14 at 224).</li>
 *   <li>{@link Kind#MS_RESNET} ({@value Kind#MS_RESNET_OPTION}): MS-ResNet's basic blocks
 *       ({@link MembraneShortcutBlock}), {@code depths[l]} in stage {@code l} (MS-ResNet-34: 3, 4, 6, 3), and MS-ResNet's
 *       resolutions: stage 3 at half stage 2's (56/28/14/7 at 224), so stage 3's fusion down-samples by 2 and stage 2's
 *       up-sampling from it enlarges by 2. Nothing is shared across time steps (the paper names no sharing for it).</li>
 * </ul>
 */
public record StageBlocks(Kind kind, int[] depths) {

    /** The block structures. */
    public enum Kind {
        CONVNEXT, MS_RESNET;

        public static final String CONVNEXT_OPTION = "convnext";
        public static final String MS_RESNET_OPTION = "ms-resnet";

        public String option() { return this == CONVNEXT ? CONVNEXT_OPTION : MS_RESNET_OPTION; }

        public static Kind parse(String s) {
            return switch (s) {
                case CONVNEXT_OPTION -> CONVNEXT;
                case MS_RESNET_OPTION -> MS_RESNET;
                default -> throw new IllegalArgumentException("option " + TrevSpec.OPT_BLOCK + " must be "
                        + CONVNEXT_OPTION + " or " + MS_RESNET_OPTION + ", got '" + s + "'");
            };
        }
    }

    /** T-RevSNN's own: two ConvNeXt-style blocks per stage. */
    public static final StageBlocks CONVNEXT = new StageBlocks(Kind.CONVNEXT, new int[] {2, 2, 2, 2});

    /** MS-ResNet-34's stage depths. */
    public static final int[] MS_RESNET34_DEPTHS = {3, 4, 6, 3};

    public StageBlocks {
        if (depths.length != StageStates.STAGES) {
            throw new IllegalArgumentException("T-RevSNN has 4 stages, got depths " + Arrays.toString(depths));
        }
        for (int d : depths) {
            if (d < 1) {
                throw new IllegalArgumentException("every stage needs a block, got depths " + Arrays.toString(depths));
            }
        }
        if (kind == Kind.CONVNEXT && !Arrays.equals(depths, new int[] {2, 2, 2, 2})) {
            // the second block's tail is the one shared across time steps: the design has exactly two per stage
            throw new IllegalArgumentException("ConvNeXt-style stages have two blocks each, got depths " + Arrays.toString(depths));
        }
        depths = depths.clone();
    }

    public static StageBlocks msResNet(int[] depths) { return new StageBlocks(Kind.MS_RESNET, depths); }

    @Override
    public int[] depths() { return depths.clone(); }

    /** Whether stage 3 is at half stage 2's resolution (MS-ResNet) rather than at the same (T-RevSNN). */
    public boolean coarseLastStage() { return kind == Kind.MS_RESNET; }

    /** How much the stem output's sides must divide by for the up-sampling between stages to meet the finer stage. */
    public int sideMultiple() { return coarseLastStage() ? 8 : 4; }

    /** Whether the second block of a stage takes a tail shared across time steps. */
    public boolean sharesTails() { return kind == Kind.CONVNEXT; }

    /** Stage {@code level}'s blocks, in order. {@code sharedTail} is used by ConvNeXt-style stages only. */
    Layer[] create(int level, int channels, int kernel, double gammaInit, BlockTail sharedTail) {
        Layer[] blocks = new Layer[depths[level]];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = kind == Kind.CONVNEXT
                    ? new TrevBlock(channels, kernel, b == 0, gammaInit, b == 1 ? sharedTail : null)
                    : new MembraneShortcutBlock(channels);
        }
        return blocks;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageBlocks s && kind == s.kind && Arrays.equals(depths, s.depths);
    }

    @Override
    public int hashCode() { return kind.hashCode() * 31 + Arrays.hashCode(depths); }

    @Override
    public String toString() {
        return kind.option() + (kind == Kind.CONVNEXT ? "" : Arrays.toString(depths));
    }
}
