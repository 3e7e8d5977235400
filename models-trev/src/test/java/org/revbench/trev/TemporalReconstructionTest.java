package org.revbench.trev;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.core.testing.ArrayChecks.allClose;
import static org.revbench.core.testing.ArrayChecks.maxAbs;
import static org.revbench.core.testing.ArrayChecks.maxAbsDiff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.ForwardContext;

/**
 * T-RevSNN Eq. 9-11: every earlier step's stage states reconstructed from the last step's by the inverse alone, in
 * float64 (allclose rtol 1e-6, atol 1e-10, the tolerance the reversible-node paper checks with) and float32 (relative
 * to the states' scale).
 */
class TemporalReconstructionTest extends EngineTestBase {

    /** {largest error relative to the states' scale, allclose(1e-6, 1e-10) held}. */
    static double[] reconstruct(TrevNetwork n, NDArray x) {
        TemporalReversibleColumn column = n.column();
        ForwardContext ctx = ForwardContext.train(n.options().timesteps());
        return Autograd.withRecording(false, () -> {
            List<NDArray> encoded = new ArrayList<>();
            if (n.spec().events()) {
                for (int t = 0; t < n.options().timesteps(); t++) {
                    try (NDArray frame = x.get(t)) {
                        encoded.add(stem(n, t).forward(frame, ctx));
                    }
                }
            } else {
                encoded.add(stem(n, 0).forward(x, ctx));
            }
            TemporalReversibleColumn.StepInputs in = t -> encoded.get(encoded.size() == 1 ? 0 : t);
            List<StageStates> all = column.run(in, ctx, true, null);
            List<StageStates> back = column.reconstruct(in, all.get(all.size() - 1), ctx.withMode(ForwardContext.Mode.RECOMPUTE));
            double worst = 0;
            boolean close = true;
            for (int t = 0; t < back.size(); t++) {
                for (int l = 0; l < StageStates.STAGES; l++) {
                    double[] e = Tensors.toDoubles(all.get(t).get(l));
                    double[] a = Tensors.toDoubles(back.get(t).get(l));
                    double rel = maxAbsDiff(a, e) / maxAbs(e);
                    worst = Math.max(worst, rel);
                    close &= allClose(a, e, 1e-6, 1e-10);
                    assertTrue(maxAbs(e) > 0.1, "state " + t + "/" + l + " is near zero: nothing tested");
                }
            }
            all.forEach(StageStates::close);
            back.forEach(StageStates::close);
            encoded.forEach(NDArray::close);
            return new double[] {worst, close ? 1 : 0};
        });
    }

    static TrevStem stem(TrevNetwork n, int t) {
        return (TrevStem) n.children().get(n.spec().events() ? "stem" + t : "stem");
    }

    @Test
    void imageStatesReconstructInFloat64() {
        for (int t : new int[] {2, 4}) {
            try (NDManager m = manager.newSubManager();
                 TrevNetwork n = TrevTesting.image(m, TrevSpec.image(TrevTesting.SMALL_WIDTHS, 3), t, DataType.FLOAT64, 30 + t);
                 NDArray x = TrevTesting.gaussian(m, 31, 0.3, 1, DataType.FLOAT64, 2, 3, 32, 32)) {
                double[] r = reconstruct(n, x);
                System.out.printf(Locale.ROOT, "image T=%d float64: reconstruction error %.2e relative%n", t, r[0]);
                assertTrue(r[1] == 1, "allclose(1e-6, 1e-10) fails: " + r[0]);
                assertTrue(r[0] < 1e-11, "relative error " + r[0]);
            }
        }
    }

    /** T-RevSNN Table 6's other block structures: MS-ResNet's basic blocks, S-RevSNN's couplings. */
    @ParameterizedTest
    @ValueSource(strings = {"ms-resnet", "s-revsnn"})
    void otherBlockStructuresReconstructInFloat64(String block) {
        int[] depths = {1, 2, 1, 1};
        TrevSpec spec = block.equals("ms-resnet") ? TrevSpec.msResNet(TrevTesting.SMALL_WIDTHS, depths)
                : TrevSpec.sRevSnn(TrevTesting.SMALL_WIDTHS, depths);
        try (NDManager m = manager.newSubManager(); TrevNetwork n = TrevTesting.image(m, spec, 4, DataType.FLOAT64, 45);
             NDArray x = TrevTesting.gaussian(m, 46, 0.3, 1, DataType.FLOAT64, 2, 3, 32, 32)) {
            double[] r = reconstruct(n, x);
            System.out.printf(Locale.ROOT, "%s stages T=4 float64: reconstruction error %.2e relative%n", block, r[0]);
            assertTrue(r[1] == 1, "allclose(1e-6, 1e-10) fails: " + r[0]);
            assertTrue(r[0] < 1e-11, "relative error " + r[0]);
        }
    }

    @Test
    void eventStatesReconstructInFloat64() {
        try (NDManager m = manager.newSubManager();
             TrevNetwork n = TrevTesting.events(m, TrevSpec.events(TrevTesting.SMALL_WIDTHS, 3), 4, DataType.FLOAT64, 40);
             NDArray x = TrevTesting.gaussian(m, 41, 0.3, 1, DataType.FLOAT64, 4, 2, 2, 16, 16)) {
            double[] r = reconstruct(n, x);
            System.out.printf(Locale.ROOT, "events T=4 float64: reconstruction error %.2e relative%n", r[0]);
            assertTrue(r[1] == 1, "allclose(1e-6, 1e-10) fails: " + r[0]);
        }
    }

    @Test
    void imageStatesReconstructInFloat32ToItsPrecision() {
        try (NDManager m = manager.newSubManager();
             TrevNetwork n = TrevTesting.image(m, TrevSpec.image(TrevTesting.SMALL_WIDTHS, 3), 4, DataType.FLOAT32, 50);
             NDArray x = TrevTesting.gaussian(m, 51, 0.3, 1, DataType.FLOAT32, 2, 3, 32, 32)) {
            double[] r = reconstruct(n, x);
            System.out.printf(Locale.ROOT, "image T=4 float32: reconstruction error %.2e relative%n", r[0]);
            assertTrue(r[0] < 1e-3, "float32 relative error " + r[0]);
        }
    }
}
