package org.revbench.trev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.reversible.GradientCheck;

/**
 * The temporal reversible backward against plain autograd through the same network, in float64 with core's
 * {@link GradientCheck} (gradient of the input and of every trainable parameter, one forward-backward each, the loss
 * the pass defines): equal to 1e-9 relative, for both losses, both state keepings, image and event input. The
 * configurations are small (widths 4/8/12/16) with perturbed parameters ({@link TrevTesting#perturb}).
 */
class TemporalReversibleGradientTest extends EngineTestBase {

    static final double TOL = 1e-9;

    /**
     * Also checks that every trainable parameter receives a gradient except those no loss reaches by construction: the
     * first step's decays {@code a_l} (its previous states are zero) and, with the paper's last-step loss, the
     * intermediate heads.
     */
    static void check(String what, TrevNetwork n, NDArray x, NDArray labels) {
        GradientCheck.Result r = GradientCheck.run(n, x, labels);
        int unusedHeads = n.spec().loss() == TrevLoss.LAST_STEP ? n.headSteps().length - 1 : 0;
        long unreachable = StageStates.STAGES + 3L * unusedHeads; // a pooled head: weight, bias, gain
        assertEquals(r.rows().size() - unreachable, r.reached(), what + ": parameters without gradient"); // rows: input + parameters
        GradientCheck.Row worst = r.rows().stream().max(java.util.Comparator.comparingDouble(GradientCheck.Row::maxRelDifference)).orElseThrow();
        System.out.printf(Locale.ROOT, "%s: %d of %d gradients reached, worst %s rel %.2e%n", what, r.reached(), r.rows().size(),
                worst.parameter(), worst.maxRelDifference());
        assertTrue(r.maxRelDifference() <= TOL, what + ": " + worst);
        assertTrue(r.rows().get(0).scale() > 0, what + ": the input gradient is zero");
    }

    static TrevSpec with(TrevSpec s, TrevLoss loss, StateKeeping keeping) {
        return new TrevSpec(s.widths(), s.kernel(), s.events(), s.intermediateHeads(), s.gammaInit(), loss, keeping, s.blocks());
    }

    @Test
    void imageModelBothLossesBothKeepings() {
        TrevSpec base = TrevSpec.image(TrevTesting.SMALL_WIDTHS, 3);
        for (TrevLoss loss : TrevLoss.values()) {
            for (StateKeeping keep : StateKeeping.values()) {
                try (NDManager m = manager.newSubManager();
                     TrevNetwork n = TrevTesting.image(m, with(base, loss, keep), 3, DataType.FLOAT64, 60);
                     NDArray x = TrevTesting.gaussian(m, 61, 0.3, 1, DataType.FLOAT64, 2, 3, 32, 32);
                     NDArray y = TrevTesting.labels(m, 62, 2)) {
                    check("image T=3 " + loss + " " + keep, n, x, y);
                }
            }
        }
    }

    @Test
    void imageModelFourStepsFourHeadsKernelFive() {
        TrevSpec s = with(TrevSpec.image(TrevTesting.SMALL_WIDTHS, 5), TrevLoss.WEIGHTED_STEPS, StateKeeping.LAST_STEP);
        try (NDManager m = manager.newSubManager(); TrevNetwork n = TrevTesting.image(m, s, 4, DataType.FLOAT64, 70);
             NDArray x = TrevTesting.gaussian(m, 71, 0.3, 1, DataType.FLOAT64, 2, 3, 32, 32);
             NDArray y = TrevTesting.labels(m, 72, 2)) {
            check("image T=4 k=5 weighted", n, x, y);
        }
    }

    /**
     * T-RevSNN Table 6's MS-ResNet stages (BatchNorm in every block, recomputed in the backward; stage 3 coarser than
     * stage 2): the same agreement.
     */
    @Test
    void msResNetStagesBothKeepings() {
        TrevSpec base = TrevSpec.msResNet(TrevTesting.SMALL_WIDTHS, new int[] {1, 2, 1, 1});
        for (StateKeeping keep : StateKeeping.values()) {
            try (NDManager m = manager.newSubManager();
                 TrevNetwork n = TrevTesting.image(m, with(base, TrevLoss.WEIGHTED_STEPS, keep), 3, DataType.FLOAT64, 90);
                 NDArray x = TrevTesting.gaussian(m, 91, 0.3, 1, DataType.FLOAT64, 2, 3, 32, 32);
                 NDArray y = TrevTesting.labels(m, 92, 2)) {
                check("ms-resnet stages T=3 weighted " + keep, n, x, y);
            }
        }
    }

    /**
     * T-RevSNN Table 6's S-RevSNN stages: the couplings' own reversible backward (reconstruct each block's input from its
     * output, recompute F and G one at a time) nested inside the temporal one, and the ablation without it; the same
     * agreement with plain autograd.
     */
    @Test
    void sRevSnnStagesBothKeepingsBothSpatialBackwards() {
        for (boolean spatial : new boolean[] {true, false}) {
            TrevSpec s = TrevSpec.sRevSnn(TrevTesting.SMALL_WIDTHS, new int[] {1, 2, 1, 1});
            TrevSpec base = new TrevSpec(s.widths(), s.kernel(), s.events(), s.intermediateHeads(), s.gammaInit(), s.loss(), s.states(),
                    new StageBlocks(StageBlocks.Kind.S_REVSNN, new int[] {1, 2, 1, 1}, spatial));
            for (StateKeeping keep : StateKeeping.values()) {
                try (NDManager m = manager.newSubManager();
                     TrevNetwork n = TrevTesting.image(m, with(base, TrevLoss.WEIGHTED_STEPS, keep), 3, DataType.FLOAT64, 95);
                     NDArray x = TrevTesting.gaussian(m, 96, 0.3, 1, DataType.FLOAT64, 2, 3, 32, 32);
                     NDArray y = TrevTesting.labels(m, 97, 2)) {
                    check("s-revsnn stages T=3 weighted " + keep + (spatial ? ", reversible" : ", autograd") + " spatial backward",
                            n, x, y);
                }
            }
        }
    }

    @Test
    void eventModel() {
        for (TrevLoss loss : TrevLoss.values()) {
            TrevSpec s = with(TrevSpec.events(TrevTesting.SMALL_WIDTHS, 3), loss, StateKeeping.LAST_STEP);
            try (NDManager m = manager.newSubManager(); TrevNetwork n = TrevTesting.events(m, s, 3, DataType.FLOAT64, 80);
                 NDArray x = TrevTesting.gaussian(m, 81, 0.3, 1, DataType.FLOAT64, 3, 2, 2, 16, 16);
                 NDArray y = TrevTesting.labels(m, 82, 2)) {
                check("events T=3 " + loss, n, x, y);
            }
        }
    }
}
