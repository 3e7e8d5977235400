package org.revbench.trev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.ForwardContext;

/** The pieces against plain Java arithmetic: spike, weight standardisation, up-sampling, decay clamp, loss weights. */
class TrevBuildingBlocksTest extends EngineTestBase {

    @Test
    void turnOffSpikeFiresFromHalfAndPassesGradientInsideZeroOne() {
        double[] in = {-0.7, -0.0, 0.0, 0.2, 0.49, 0.5, 0.51, 0.99, 1.0, 1.3, 2.0};
        try (NDManager m = manager.newSubManager();
             NDArray x = Tensors.fromDoubles(m, in, new Shape(in.length), DataType.FLOAT64);
             NDArray leaf = Autograd.detachedLeaf(x)) {
            double[] w = new double[in.length];
            Random r = new Random(3);
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextGaussian();
            }
            double[] got;
            double[] grad;
            boolean before = Autograd.setRecording(true);
            try (NDArray s = TurnOffSpike.apply(leaf); NDArray wt = Tensors.fromDoubles(m, w, new Shape(w.length), DataType.FLOAT64)) {
                got = Tensors.toDoubles(s);
                Autograd.backward(s, wt);
                try (NDArray g = Autograd.gradient(leaf)) {
                    grad = Tensors.toDoubles(g);
                }
            } finally {
                Autograd.setRecording(before);
            }
            for (int i = 0; i < in.length; i++) {
                double c = Math.min(Math.max(in[i], 0), 1);
                assertEquals(Math.floor(c + 0.5), got[i], 0, "spike of " + in[i]);
                double expected = in[i] >= 0 && in[i] <= 1 ? w[i] : 0;
                assertEquals(expected, grad[i], 0, "gradient at " + in[i]);
            }
        }
    }

    @Test
    void weightStandardisationMatchesTheFormula() {
        try (NDManager m = manager.newSubManager(); WeightStandardizedConv conv = new WeightStandardizedConv(3, 4, 3, 1, 1, 1)) {
            conv.initialize(m, DataType.FLOAT64, new Random(5));
            double[] gain = {0.5, 1.0, 1.5, -2.0};
            conv.gain().setValues(gain);
            double[] w = Tensors.toDoubles(conv.weight().array());
            double[] got;
            try (NDArray s = conv.standardizedWeight()) {
                got = Tensors.toDoubles(s);
            }
            int fan = 3 * 3 * 3;
            for (int o = 0; o < 4; o++) {
                double mean = 0;
                for (int i = 0; i < fan; i++) {
                    mean += w[o * fan + i];
                }
                mean /= fan;
                double var = 0;
                for (int i = 0; i < fan; i++) {
                    var += (w[o * fan + i] - mean) * (w[o * fan + i] - mean);
                }
                var /= fan; // biased, as torch's batch_norm in training mode
                for (int i = 0; i < fan; i++) {
                    double e = gain[o] * (w[o * fan + i] - mean) / Math.sqrt(var + 1e-6) / Math.sqrt(fan);
                    assertEquals(e, got[o * fan + i], 1e-15, "weight " + o + "," + i);
                }
            }
        }
    }

    @Test
    void upSamplingIsNearestNeighbourByTwo() {
        try (NDManager m = manager.newSubManager(); NDArray x = TrevTesting.gaussian(m, 4, 0.5, 1, DataType.FLOAT64, 2, 3, 2, 3);
             NDArray rows = x.repeat(2, 2); NDArray y = rows.repeat(3, 2)) {
            assertEquals(new Shape(2, 3, 4, 6), y.getShape());
            double[] a = Tensors.toDoubles(x);
            double[] b = Tensors.toDoubles(y);
            for (int n = 0; n < 6; n++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 6; j++) {
                        assertEquals(a[n * 6 + (i / 2) * 3 + j / 2], b[n * 24 + i * 6 + j], 0);
                    }
                }
            }
        }
    }

    @Test
    void decaysStayAwayFromZeroKeepingTheirSign() {
        try (NDManager m = manager.newSubManager(); TurnOnTransfer t = new TurnOnTransfer(6)) {
            t.initialize(m, DataType.FLOAT64, new Random(1));
            assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, Tensors.toDoubles(t.decay().array()), 0);
            t.decay().setValues(new double[] {0.5, -0.7, 1e-4, -1e-5, 0.0, 2e-3});
            t.keepInvertible();
            assertArrayEquals(new double[] {0.5, -0.7, 1e-3, -1e-3, 1e-3, 2e-3}, Tensors.toDoubles(t.decay().array()), 0);
        }
    }

    @Test
    void weightedLossIsThePublicCodesCompoundLoss() {
        try (NDManager m = manager.newSubManager()) {
            List<NDArray> heads = List.of(Tensors.constant(m, 1, DataType.FLOAT64), Tensors.constant(m, 2, DataType.FLOAT64),
                    Tensors.constant(m, 3, DataType.FLOAT64), Tensors.constant(m, 4, DataType.FLOAT64));
            // the per-head "loss" is the value itself: sum_i v_i (i+1)/4 + v_last
            try (NDArray w = TrevLoss.WEIGHTED_STEPS.combine(heads, h -> h.mul(h.onesLike()));
                 NDArray l = TrevLoss.LAST_STEP.combine(heads, h -> h.mul(h.onesLike()))) {
                assertEquals(1 * 0.25 + 2 * 0.5 + 3 * 0.75 + 4 * 1.0 + 4, w.getDouble(), 1e-15);
                assertEquals(4, l.getDouble(), 0);
            }
            heads.forEach(NDArray::close);
        }
    }

    @Test
    void blockWithoutGammaAddsItsBranchUnscaled() {
        // a block is the identity plus its branch: with gamma 0 (ReZero's start) it is the identity
        try (NDManager m = manager.newSubManager(); TrevBlock b = new TrevBlock(4, 3, true, 0.0, null);
             NDArray x = TrevTesting.gaussian(m, 8, 0.5, 1, DataType.FLOAT64, 2, 4, 5, 5)) {
            b.initialize(m, DataType.FLOAT64, new Random(2));
            try (NDArray y = Autograd.withRecording(false, () -> b.forward(x, ForwardContext.train(1)))) {
                assertArrayEquals(Tensors.toDoubles(x), Tensors.toDoubles(y), 0);
            }
            assertTrue(b.hasGamma());
        }
    }
}
