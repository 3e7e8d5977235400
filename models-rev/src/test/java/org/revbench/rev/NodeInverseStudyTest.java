package org.revbench.rev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.model.Segment;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.reference.ReferenceArrays;
import org.revbench.core.reversible.GradientCheck;
import org.revbench.core.reversible.ReconstructionTally;

/**
 * The reversible node paper's inverse (revnode Eq. 9-12) where it breaks, on hand-chosen values (docs/revnode-inverse.md).
 *
 * <p>The algebra: with {@code k = 1/tau}, Eq. 3-5 give {@code V = D P + (1 - Y) k U + Y Vres} with
 * {@code D = (1 - Y)(1 - k) + alpha}, where {@code P} is the previous potential and {@code Y = H(M - Vth) + beta X'} (the
 * other group's input). Eq. 9 and 11 solve this for {@code P}, dividing by {@code D}. {@code D = 0} at
 * {@code Y* = 1 + alpha / (1 - k)}: for tau 2 and the paper's alpha 0.05-0.8, {@code Y*} is 1.1-2.6, which a spike plus
 * {@code beta X'} reaches for {@code X'} in 0.1-1.6 (beta 1). There the step's output does not depend on {@code P} at all.
 */
class NodeInverseStudyTest extends EngineTestBase {

    private static double[] values(NDArray a) { return Tensors.toDoubles(a); }

    /** One step of Eq. 3-8 on {@code x} and previous potential {@code p} ({@code [B, L]}): {Y, V}. */
    private double[][] step(ReversibleNodeSpec spec, double[] x, double[] p) {
        try (NDManager m = manager.newSubManager()) {
            NDArray xs = Tensors.fromDoubles(m, x, new Shape(1, x.length), DataType.FLOAT64);
            NDArray ps = Tensors.fromDoubles(m, p, new Shape(1, p.length), DataType.FLOAT64);
            try (NodeEquations.Constants c = new NodeEquations.Constants(xs, spec);
                 NodeEquations.Step s = Autograd.withRecording(false, () -> NodeEquations.forward(
                         NodeEquations.groups(xs, 2), NodeEquations.groups(ps, 2), c, spec, false))) {
                try (NDArray y = NodeEquations.join(s.outputs()); NDArray v = NodeEquations.join(s.potentials())) {
                    return new double[][] {values(y), values(v)};
                }
            }
        }
    }

    /** The previous potential the paper's inverse (Eq. 9, 11) computes from one step's {Y, V}. */
    private double[] inversePrevious(ReversibleNodeSpec spec, double[] y, double[] v, double minDenominator) {
        try (NDManager m = manager.newSubManager()) {
            NDArray ys = Tensors.fromDoubles(m, y, new Shape(1, y.length), DataType.FLOAT64);
            NDArray vs = Tensors.fromDoubles(m, v, new Shape(1, v.length), DataType.FLOAT64);
            NodeInverse inv = new NodeInverse(spec, minDenominator);
            inv.setWarnBelow(0);
            try (NodeEquations.Constants c = new NodeEquations.Constants(ys, spec);
                 NodeInverse.Step s = Autograd.withRecording(false, () -> inv.step(NodeEquations.groups(ys, 2),
                         NodeEquations.groups(vs, 2), c, 0, false));
                 NDArray p = NodeEquations.join(s.previous())) {
                return values(p);
            }
        }
    }

    /**
     * Exact arithmetic (alpha 0.25, tau 2: every value dyadic): group 0 spikes and its cross input is 0.5, so
     * Y_0 = 1.5 = Y* and D_0 = 0 exactly. Two different previous potentials (1.0 and 0.5) then give bit-identical
     * outputs Y and potentials V: the step is not injective, and no inverse of (Y, V) can return the previous
     * potential; Eq. 11 evaluates 0/0.
     */
    @Test
    void theDivisorReachesZeroAndTheStepForgetsThePreviousPotential() {
        ReversibleNodeSpec spec = ReversibleNodeSpec.defaults().withAlpha(0.25);
        double[] x = {2.0, 0.5};               // group 0: charge input X_0 = 2; group 1's input X_1 = 0.5 enters Y_0
        double[] pa = {1.0, 0.2};
        double[] pb = {0.5, 0.2};              // only group 0's previous potential differs
        double[][] a = step(spec, x, pa);
        double[][] b = step(spec, x, pb);
        System.out.printf(Locale.ROOT, "alpha 0.25: Y %s V %s (P_0 = 1.0) and Y %s V %s (P_0 = 0.5)%n",
                java.util.Arrays.toString(a[0]), java.util.Arrays.toString(a[1]), java.util.Arrays.toString(b[0]),
                java.util.Arrays.toString(b[1]));
        assertEquals(1.5, a[0][0], 0.0, "Y_0 = H(M_0 - Vth) + beta X_1 = 1 + 0.5");
        double d = (1 - a[0][0]) * (1 - 1 / spec.tau()) + spec.alpha();
        assertEquals(0.0, d, 0.0, "D_0 = (1 - Y_0)(1 - 1/tau) + alpha");
        assertArrayEquals(a[0], b[0], 0.0, "the outputs Y are identical");
        assertArrayEquals(a[1], b[1], 0.0, "the potentials V are identical");
        assertNotEquals(pa[0], pb[0]);
        // the paper's inverse: refuses (check on), or returns no number (check off)
        assertThrows(IllConditionedInverseException.class, () -> inversePrevious(spec, a[0], a[1], 1e-6));
        double[] back = inversePrevious(spec, a[0], a[1], 0);
        assertTrue(!Double.isFinite(back[0]), "0/0: " + back[0]);
        assertEquals(0.2, back[1], 1e-12, "group 1 (Y_1 = 0 + X_0 = 2, D_1 = -0.25) comes back");
    }

    /**
     * The paper's own alpha values (Figure 6: 0.05 to 0.8): where a spike plus beta X_1 meets Y* the float64 divisor
     * is rounding noise (|D| < 1e-15), the step's potential V moves by a few units in the last place when the previous
     * potential moves by 0.5, and the inverse returns a previous potential that is wrong by far more than the
     * paper's tolerance.
     */
    @Test
    void atThePapersAlphaValuesTheDivisorIsRoundingNoise() {
        for (double alpha : new double[] {0.05, 0.1, 0.15, 0.2, 0.4, 0.8}) {
            ReversibleNodeSpec spec = ReversibleNodeSpec.defaults().withAlpha(alpha);
            double xStar = alpha / (1 - 1 / spec.tau()); // Y_0 = 1 + X_1 = Y*
            double[] x = {1.5, xStar};
            double[] pa = {1.0, 0.2};
            double[] pb = {0.5, 0.2};
            double[][] a = step(spec, x, pa);
            double[][] b = step(spec, x, pb);
            double d = (1 - a[0][0]) * (1 - 1 / spec.tau()) + spec.alpha();
            double dv = Math.abs(a[1][0] - b[1][0]);
            double[] backA = inversePrevious(spec, a[0], a[1], 0);
            double[] backB = inversePrevious(spec, b[0], b[1], 0);
            System.out.printf(Locale.ROOT, "alpha %.2f: Y* = %.17g, D_0 = %.3e, |V_0(P_0=1) - V_0(P_0=0.5)| = %.3e"
                    + " (%.1f ulp), inverse P_0 = %.6g (true 1.0) and %.6g (true 0.5)%n", alpha, a[0][0], d, dv,
                    dv / Math.ulp(a[1][0]), backA[0], backB[0]);
            assertArrayEquals(a[0], b[0], 0.0, "alpha " + alpha + ": the outputs Y are identical");
            assertTrue(Math.abs(d) < 1e-15, "alpha " + alpha + ": D = " + d);
            assertTrue(dv <= 4 * Math.ulp(Math.abs(a[1][0])), "alpha " + alpha + ": V moved by " + dv);
            // outputs a few ulp apart cannot be told apart reliably: the inverse gets at least one of the two wrong
            double worst = Math.max(Math.abs(backA[0] - pa[0]), Math.abs(backB[0] - pb[0]));
            assertTrue(!Double.isFinite(worst) || worst > 1e-6, "alpha " + alpha + ": the inverse returned "
                    + backA[0] + " and " + backB[0] + " for 1.0 and 0.5");
        }
    }

    /** A node's self-check on random (BatchNorm-like) input; tally per T. */
    private ReconstructionTally tally(int t, boolean directEncoding, DataType dtype) {
        ReversibleNeuronNode node = new ReversibleNeuronNode(ReversibleNodeSpec.defaults(), 0);
        node.inverter().setWarnBelow(0);
        int perStep = 16 * 4 * 32;
        double[] g = ReferenceArrays.gaussian(11, directEncoding ? perStep : t * perStep, 0, 1);
        double[] xv = new double[t * perStep];
        for (int s = 0; s < t; s++) {
            System.arraycopy(g, directEncoding ? 0 : s * perStep, xv, s * perStep, perStep);
        }
        ReconstructionTally tally = ReconstructionTally.forDtype(dtype);
        node.setReconstructionTally(tally);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = Tensors.fromDoubles(m, xv, new Shape(t, 16, 4, 32), dtype);
            Autograd.withRecording(false, () -> node.forward(x, ForwardContext.train(t))).close();
        }
        System.out.printf(Locale.ROOT, "node T=%d %s %s: mismatch %.3e, flips %.3e, max rel %.3e, min |D| %.3e, max amplification %.3e%n",
                t, directEncoding ? "direct" : "fresh", dtype, tally.mismatchFraction(), tally.spikeFlipFraction(),
                tally.maxRelError(), tally.minDenominator(), tally.maxAmplification());
        return tally;
    }

    /**
     * T 1 in float64: nothing mismatches, no spike flips. With the same input repeated over T (direct encoding, as
     * the networks' first node sees it) an element near Y* meets a small divisor at every step and the amplification
     * compounds: at T 8 it exceeds 1/epsilon of float64, so the paper's inverse cannot be exact there.
     */
    @Test
    void exactAtT1AndAmplificationCompoundsWithT() {
        for (boolean direct : new boolean[] {true, false}) {
            ReconstructionTally one = tally(1, direct, DataType.FLOAT64);
            assertEquals(0, one.mismatched());
            assertEquals(0, one.flipped());
            assertEquals(0, one.potentialMismatched(), "the reconstructed V^{-1} is 0 within the paper's tolerance");
            assertEquals(16 * 4 * 32, one.spikes());
            assertEquals(16 * 4 * 32, one.potentialElements());
            assertTrue(one.maxRelError() < 1e-12, "T 1: " + one.maxRelError());
        }
        ReconstructionTally eight = tally(8, true, DataType.FLOAT64);
        assertTrue(eight.maxAmplification() > 1 / 0x1.0p-52, "T 8 direct: amplification " + eight.maxAmplification());
    }

    /**
     * On a small network (every node checked, not only the stages' last) at T 1 in float64: no reconstructed element
     * beyond the paper's tolerance, no spike flips, and the inverse-gradient backward's gradients equal plain autograd's.
     */
    @Test
    void networkStudyIsExactAtT1() {
        for (String arch : List.of("vgg", "bottleneck")) {
            ModelOptions o = ModelOptions.of(5, 1).withDtype(DataType.FLOAT64).withSeed(7);
            try (NDManager m = manager.newSubManager(); Network n = RevNodeNetsGradientTest.small(m, arch, o)) {
                SegmentedNetwork sn = (SegmentedNetwork) n;
                double[] xv = ReferenceArrays.gaussian(3, 4 * 3 * 8 * 8, 0.5, 1.5);
                NDArray input = Tensors.fromDoubles(m, xv, new Shape(4, 3, 8, 8), DataType.FLOAT64);
                NDArray labels = Tensors.fromLongs(m, new long[] {0, 1, 2, 3}, new Shape(4));
                ReconstructionTally t = ReconstructionTally.forDtype(DataType.FLOAT64);
                int nodes = 0;
                for (Segment s : sn.segments()) {
                    nodes += ReconstructionTally.attach(s, t);
                }
                ForwardContext ctx = ForwardContext.train(1).withMode(ForwardContext.Mode.RECOMPUTE);
                Autograd.withRecording(false, () -> sn.forward(input, ctx)).close();
                for (Segment s : sn.segments()) {
                    ReconstructionTally.attach(s, null);
                }
                GradientCheck.Result g = GradientCheck.run(n, input, labels);
                System.out.printf(Locale.ROOT, "%s T=1: %d nodes, %d of %d elements mismatch, %d of %d spikes flip, gradient max rel %.2e%n",
                        arch, t.layers(), t.mismatched(), t.elements(), t.flipped(), t.spikes(), g.maxRelDifference());
                assertTrue(nodes >= 3 && t.layers() == nodes, arch + ": every node checked once: " + t.layers() + " of " + nodes);
                assertEquals(0, t.mismatched(), arch);
                assertEquals(0, t.flipped(), arch);
                assertEquals(0, t.potentialMismatched(), arch);
                assertEquals(0.0, t.mismatchFraction(), 0.0);
                assertTrue(g.maxRelDifference() < 1e-8, arch + ": " + g.rows());
            }
        }
    }
}
