package org.revbench.trev;

import java.util.ArrayList;
import java.util.List;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelProvider;

/**
 * Registers T-RevSNN's public models (the public code's {@code tiny}, {@code small}, {@code tiny_dvs}), with the
 * public code's defaults: ImageNet 224x224 and 1000 classes at T = 4 for the static models, 10 classes (CIFAR10-DVS) at
 * T = 8 with 2x128x128 event frames for the event model. Trainable parameters with these defaults: 17,203,856 (tiny),
 * 32,331,312 (small; the count its training log prints), 10,220,364 (tiny-dvs), each equal to the public code's; the
 * paper's Table 2 prints 15.2M and 29.8M (see {@code package-info}). Options: {@link TrevSpec}.
 */
public final class TrevModels implements ModelProvider {

    static final String PAPER = "T-RevSNN, temporal reversible SNN";

    public static final int[] TINY = {64, 128, 256, 384};
    public static final int[] SMALL = {96, 192, 384, 512};
    public static final int[] TINY_DVS = {32, 64, 128, 256};

    /**
     * Table 4's time-step ablation at a fixed parameter count (Sec. 5.2: "we fix the total number of parameters,
     * increasing the T means that the sub-network at each timestep becomes smaller"). The paper does not say how the
     * sub-networks shrink; these scale tiny's first three widths by about sqrt(4/T) and set the last so that each T keeps
     * tiny's 17,203,856 parameters (T 2: 17,197,928; T 8: 17,230,464; T 16: 17,194,472, each within 0.2 %), with tiny's
     * kernel and heads. T 4 is tiny itself.
     */
    public static final int[] TINY_T2 = {88, 176, 352, 544};
    public static final int[] TINY_T8 = {48, 96, 192, 272};
    public static final int[] TINY_T16 = {32, 64, 128, 206};

    /** MS-ResNet-34's stage widths (T-RevSNN Table 6's MS-ResNet-34 + T-RevSNN). */
    public static final int[] MS_RESNET34_WIDTHS = {64, 128, 256, 512};

    /** MS-ResNet-18's blocks per stage. */
    public static final int[] MS_RESNET18_DEPTHS = {2, 2, 2, 2};

    /** RevSResNet21's couplings per stage. */
    public static final int[] S_REVSNN21_DEPTHS = {1, 1, 1, 1};

    /** S-RevSNN-37's (RevSResNet37's) full stage widths, each split into two halves by its couplings (T-RevSNN Table 6). */
    public static final int[] S_REVSNN37_WIDTHS = {128, 256, 512, 896};

    @Override
    public List<ModelDefinition> models() {
        InputSpec imagenet = new InputSpec(3, 224, 224, false);
        InputSpec dvs = new InputSpec(2, 128, 128, true);
        List<ModelDefinition> list = new ArrayList<>(List.of(
                define("trevsnn-tiny", "T-RevSNN tiny: widths 64/128/256/384, depth-wise 3x3, four heads (paper Table 2's"
                        + " 15.2M row; public code's tiny)", imagenet, ModelOptions.of(1000, 4), TrevSpec.image(TINY, 3)),
                define("trevsnn-small", "T-RevSNN small: widths 96/192/384/512, depth-wise 5x5, four heads (paper Table 2's"
                        + " 29.8M row; public code's small with configs/small.yaml)", imagenet, ModelOptions.of(1000, 4),
                        TrevSpec.image(SMALL, 5)),
                define("trevsnn-tiny-t2", "T-RevSNN tiny's parameter count at T 2 (Table 4): widths 88/176/352/544, depth-wise 3x3",
                        imagenet, ModelOptions.of(1000, 2), TrevSpec.image(TINY_T2, 3)),
                define("trevsnn-tiny-t8", "T-RevSNN tiny's parameter count at T 8 (Table 4): widths 48/96/192/272, depth-wise 3x3",
                        imagenet, ModelOptions.of(1000, 8), TrevSpec.image(TINY_T8, 3)),
                define("trevsnn-tiny-t16", "T-RevSNN tiny's parameter count at T 16 (Table 4): widths 32/64/128/206, depth-wise 3x3",
                        imagenet, ModelOptions.of(1000, 16), TrevSpec.image(TINY_T16, 3)),
                define("trevsnn-ms-resnet34", "MS-ResNet-34 made temporally reversible (Table 6): T-RevSNN's column, stem,"
                        + " turn-on transfers and heads, each step's stages holding MS-ResNet-34's basic blocks (3/4/6/3, widths"
                        + " 64/128/256/512, resolutions 56/28/14/7) with turn-off neurons", imagenet, ModelOptions.of(1000, 4),
                        TrevSpec.msResNet(MS_RESNET34_WIDTHS, StageBlocks.MS_RESNET34_DEPTHS)),
                define("trevsnn-s-revsnn37", "S-RevSNN-37 made temporally reversible (Table 6): T-RevSNN's column, stem,"
                        + " turn-on transfers and heads, each step's stages holding RevSResNet37's sequential couplings (1/2/3/2,"
                        + " widths 128/256/512/896 in halves, resolutions 56/28/14/7) with turn-off neurons and their own"
                        + " reversible backward nested in the temporal one", imagenet, ModelOptions.of(1000, 4),
                        TrevSpec.sRevSnn(S_REVSNN37_WIDTHS, StageBlocks.S_REVSNN37_DEPTHS)),
                // the ablation: the same network and parameters, its couplings recomputed with a graph inside the
                // temporal backward, so what the spatial reversibility adds on top of the temporal can be measured
                define("trevsnn-s-revsnn37-temporal-only", "trevsnn-s-revsnn37 with its couplings back-propagated by autograd"
                        + " inside the temporal reversible backward (ablation: temporal reversibility alone)", imagenet,
                        ModelOptions.of(1000, 4), new TrevSpec(S_REVSNN37_WIDTHS, 3, false, true, TrevSpec.CODE_GAMMA_INIT,
                                TrevLoss.LAST_STEP, StateKeeping.LAST_STEP,
                                new StageBlocks(StageBlocks.Kind.S_REVSNN, StageBlocks.S_REVSNN37_DEPTHS, false))),
                define("trevsnn-tiny-dvs", "T-RevSNN tiny for event frames: widths 32/64/128/256, depth-wise 3x3, one stem per"
                        + " step, last head only (public code's tiny_dvs)", dvs, ModelOptions.of(10, 8), TrevSpec.events(TINY_DVS, 3))));
        list.addAll(cifarMatched());
        return list;
    }

    /**
     * The head-to-head study of memory-saving methods: T-RevSNN's temporal reversibility on the CIFAR backbones the
     * other methods use (32x32 input, a conv 3x3 stride 1 stem so the stages run at 32/16/8/4, 100 classes), at T 2, 4
     * and 8. T-RevSNN gives every time step its own sub-network, so its parameters grow with T; as the paper's Table 4
     * does for T-RevSNN tiny, the widths shrink with T (about 1/sqrt(T)) to keep the parameter count of the matched
     * MS-ResNet within 5 % ({@code TrevModelsTest}). Not configurations of the paper, which applies temporal
     * reversibility to ImageNet backbones only. Rows: backbone, its blocks per stage, MS-ResNet blocks or S-RevSNN
     * couplings, then the first stage's width at T 2, 4, 8 (the others in MS-ResNet's 1:2:4:8 or S-RevSNN-37's
     * 2:4:8:14 ratios).
     */
    static List<ModelDefinition> cifarMatched() {
        InputSpec cifar = new InputSpec(3, 32, 32, false);
        record Matched(String name, String label, int[] depths, boolean couplings, int[] firstWidth) {}
        List<ModelDefinition> out = new ArrayList<>();
        for (Matched m : List.of(
                new Matched("ms-resnet18", "MS-ResNet-18", MS_RESNET18_DEPTHS, false, new int[] {40, 28, 20}),
                new Matched("ms-resnet34", "MS-ResNet-34", StageBlocks.MS_RESNET34_DEPTHS, false, new int[] {42, 30, 21}),
                new Matched("s-revsnn21", "S-RevSNN-21", S_REVSNN21_DEPTHS, true, new int[] {37, 26, 19}),
                new Matched("s-revsnn37", "S-RevSNN-37", StageBlocks.S_REVSNN37_DEPTHS, true, new int[] {39, 27, 19}))) {
            int[] ts = {2, 4, 8};
            for (int i = 0; i < ts.length; i++) {
                int w0 = m.firstWidth()[i];
                int[] widths = m.couplings() ? new int[] {2 * w0, 4 * w0, 8 * w0, 14 * w0} : new int[] {w0, 2 * w0, 4 * w0, 8 * w0};
                TrevSpec spec = (m.couplings() ? TrevSpec.sRevSnn(widths, m.depths()) : TrevSpec.msResNet(widths, m.depths()))
                        .withCifarStem();
                out.add(define("trevsnn-" + m.name() + "-cifar-t" + ts[i], m.label() + " made temporally reversible, for CIFAR at T " + ts[i]
                        + ": T-RevSNN's column, turn-on transfers and heads, each step's stages holding "
                        + (m.couplings() ? "RevSResNet's sequential couplings (nested reversible backward)" : "MS-ResNet's basic blocks")
                        + " " + java.util.Arrays.toString(m.depths()) + ", widths " + java.util.Arrays.toString(widths)
                        + " (parameters matched to the CIFAR backbone); a conv 3x3 stride 1 stem (stages at 32/16/8/4)",
                        cifar, ModelOptions.of(100, ts[i]), spec));
            }
        }
        return out;
    }

    private static ModelDefinition define(String id, String description, InputSpec input, ModelOptions defaults, TrevSpec spec) {
        return ModelDefinition.of(id, PAPER, description, input, defaults,
                (manager, in, o) -> TrevNetwork.build(id, o, in, spec.overriddenBy(o), manager));
    }
}
