package org.revbench.trev;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.revbench.core.nn.BatchNorm2d;
import org.revbench.core.nn.Conv2d;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Sequential;
import org.revbench.core.reversible.Coupling;
import org.revbench.core.reversible.ReversibleStage;
import org.revbench.core.reversible.SequentialCoupling;

/**
 * What fills each stage of a time step's sub-network, after the fusion (T-RevSNN Table 6, "Ablation study with SNN
 * Block Structure": the temporal reversible design applied to other blocks).
 * <ul>
 *   <li>{@link Kind#CONVNEXT} (the paper's T-RevSNN, {@value Kind#CONVNEXT_OPTION}): two {@link TrevBlock}s per stage,
 *       the second with the tail shared across time steps; stage 3 at stage 2's resolution (56/28/14/14 at 224).</li>
 *   <li>{@link Kind#MS_RESNET} ({@value Kind#MS_RESNET_OPTION}): MS-ResNet's basic blocks
 *       ({@link MembraneShortcutBlock}), {@code depths[l]} in stage {@code l} (MS-ResNet-34: 3, 4, 6, 3), and MS-ResNet's
 *       resolutions: stage 3 at half stage 2's (56/28/14/7 at 224), so stage 3's fusion down-samples by 2 and stage 2's
 *       up-sampling from it enlarges by 2. Nothing is shared across time steps (the paper names no sharing for it).</li>
 *   <li>{@link Kind#S_REVSNN} ({@value Kind#S_REVSNN_OPTION}): S-RevSNN's spatially reversible blocks (RevSResNet, ParaRevSNN
 *       Eq. 7-8), {@code depths[l]} sequential couplings in stage {@code l} (S-RevSNN-37: 1, 2, 3, 2, the public code's
 *       RevSResNet37), each {@code y1 = x1 + F(x2)}, {@code y2 = x2 + G(y1)} with F and G turn-off spike, conv3x3, BN,
 *       turn-off spike, conv3x3, BN on half the channels, at MS-ResNet's resolutions as above. The stage is core's
 *       {@link ReversibleStage}: in the temporal reversible backward, each stage's recompute keeps one block's graph at a
 *       time rather than the stage's (spatial reversibility nested in the temporal one; T-RevSNN Table 6: "temporal
 *       and spatial reversibility are orthogonal"). With {@code reversibleBackward} false (option
 *       {@value TrevSpec#OPT_SPATIAL_BACKWARD} {@code autograd}, an ablation) the same couplings are recomputed with a
 *       recorded graph instead: the temporal reversibility alone.</li>
 * </ul>
 */
public record StageBlocks(Kind kind, int[] depths, boolean reversibleBackward) {

    /** The block structures. */
    public enum Kind {
        CONVNEXT, MS_RESNET, S_REVSNN;

        public static final String CONVNEXT_OPTION = "convnext";
        public static final String MS_RESNET_OPTION = "ms-resnet";
        public static final String S_REVSNN_OPTION = "s-revsnn";

        public String option() {
            return switch (this) {
                case CONVNEXT -> CONVNEXT_OPTION;
                case MS_RESNET -> MS_RESNET_OPTION;
                case S_REVSNN -> S_REVSNN_OPTION;
            };
        }

        /** The depths a kind takes when an option names the kind but no depths. */
        int[] defaultDepths() {
            return switch (this) {
                case CONVNEXT -> new int[] {2, 2, 2, 2};
                case MS_RESNET -> MS_RESNET34_DEPTHS.clone();
                case S_REVSNN -> S_REVSNN37_DEPTHS.clone();
            };
        }

        public static Kind parse(String s) {
            return switch (s) {
                case CONVNEXT_OPTION -> CONVNEXT;
                case MS_RESNET_OPTION -> MS_RESNET;
                case S_REVSNN_OPTION -> S_REVSNN;
                default -> throw new IllegalArgumentException("option " + TrevSpec.OPT_BLOCK + " must be "
                        + CONVNEXT_OPTION + ", " + MS_RESNET_OPTION + " or " + S_REVSNN_OPTION + ", got '" + s + "'");
            };
        }
    }

    /** T-RevSNN's own: two ConvNeXt-style blocks per stage. */
    public static final StageBlocks CONVNEXT = new StageBlocks(Kind.CONVNEXT, new int[] {2, 2, 2, 2});

    /** MS-ResNet-34's stage depths. */
    public static final int[] MS_RESNET34_DEPTHS = {3, 4, 6, 3};

    /** S-RevSNN-37's couplings per stage: the public code's RevSResNet37 (T-RevSNN's 24.4M Rev-ResNet-37). */
    public static final int[] S_REVSNN37_DEPTHS = {1, 2, 3, 2};

    /**
     * The seed of each reversible stage's block seeds ({@link ReversibleStage}): they replay random operations in the
     * recompute, and these blocks have none, so one fixed value serves.
     */
    private static final long REVERSIBLE_STAGE_SEED = 2;

    /** With the kind's own backward (S-RevSNN's reversible one). */
    public StageBlocks(Kind kind, int[] depths) {
        this(kind, depths, true);
    }

    public StageBlocks {
        if (!reversibleBackward && kind != Kind.S_REVSNN) {
            throw new IllegalArgumentException("only " + Kind.S_REVSNN_OPTION + " stages have a reversible backward to turn off");
        }
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

    public static StageBlocks sRevSnn(int[] depths) { return new StageBlocks(Kind.S_REVSNN, depths); }

    @Override
    public int[] depths() { return depths.clone(); }

    /** Whether stage 3 is at half stage 2's resolution (MS-ResNet, S-RevSNN) rather than at the same (T-RevSNN). */
    public boolean coarseLastStage() { return kind != Kind.CONVNEXT; }

    /** How much the stem output's sides must divide by for the up-sampling between stages to meet the finer stage. */
    public int sideMultiple() { return coarseLastStage() ? 8 : 4; }

    /** Whether the second block of a stage takes a tail shared across time steps. */
    public boolean sharesTails() { return kind == Kind.CONVNEXT; }

    /**
     * Stage {@code level}'s blocks: a {@link Sequential} of {@code block0, block1, ...}, or for {@link Kind#S_REVSNN} a
     * {@link ReversibleStage} of couplings {@code 0, 1, ...}. {@code sharedTail} is used by ConvNeXt-style stages only.
     */
    Layer create(int level, int channels, int kernel, double gammaInit, BlockTail sharedTail) {
        int n = depths[level];
        return switch (kind) {
            case CONVNEXT -> chain(n, b -> new TrevBlock(channels, kernel, b == 0, gammaInit, b == 1 ? sharedTail : null));
            case MS_RESNET -> chain(n, b -> new MembraneShortcutBlock(channels));
            case S_REVSNN -> couplings(level, channels, n);
        };
    }

    private static Sequential chain(int n, java.util.function.IntFunction<Layer> block) {
        Sequential blocks = new Sequential();
        for (int b = 0; b < n; b++) {
            blocks.add("block" + b, block.apply(b));
        }
        return blocks;
    }

    private ReversibleStage couplings(int level, int channels, int n) {
        if (channels % 2 != 0) {
            throw new IllegalArgumentException("S-RevSNN's couplings split a stage's channels in halves: stage " + level
                    + " has " + channels);
        }
        List<Coupling> couplings = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            couplings.add(new SequentialCoupling(couplingFunction(channels / 2), couplingFunction(channels / 2)));
        }
        ReversibleStage stage = new ReversibleStage(couplings, REVERSIBLE_STAGE_SEED);
        stage.setMemorySaving(reversibleBackward);
        return stage;
    }

    /**
     * F or G of an S-RevSNN coupling inside a sub-network: RevSResNet's spike, conv3x3, BN, spike, conv3x3, BN 
     * with its neurons turned off ({@link TurnOffSpike}, as every neuron inside a T-RevSNN sub-network), bias-free
     * convolutions initialised as T-RevSNN's ({@link TrevInit}).
     */
    private static Sequential couplingFunction(int half) {
        return new Sequential()
                .add("sn1", new TurnOffSpike())
                .add("conv1", new Conv2d(half, half, 3, 1, 1, 1, false, TrevInit.truncatedNormal()))
                .add("bn1", new BatchNorm2d(half))
                .add("sn2", new TurnOffSpike())
                .add("conv2", new Conv2d(half, half, 3, 1, 1, 1, false, TrevInit.truncatedNormal()))
                .add("bn2", new BatchNorm2d(half));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageBlocks s && kind == s.kind && Arrays.equals(depths, s.depths)
                && reversibleBackward == s.reversibleBackward;
    }

    @Override
    public int hashCode() { return (kind.hashCode() * 31 + Arrays.hashCode(depths)) * 2 + (reversibleBackward ? 1 : 0); }

    @Override
    public String toString() {
        return kind.option() + (kind == Kind.CONVNEXT ? "" : Arrays.toString(depths)) + (reversibleBackward ? "" : " (autograd backward)");
    }
}
