package org.revbench.rev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.core.testing.ArrayChecks.allClose;
import static org.revbench.rev.NodeTesting.gaussian;
import static org.revbench.core.testing.ArrayChecks.maxAbsDiff;
import static org.revbench.core.testing.ArrayChecks.relDiff;
import static org.revbench.rev.NodeTesting.shiftedWithZeros;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.Conv2d;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Parameter;
import org.revbench.core.reference.ReferenceArrays;
import org.revbench.core.reference.ReferenceReversibleNode;
import org.revbench.core.testing.ArrayChecks;
import org.revbench.core.train.Sgd;

/**
 * The paper's own check (revnode Sec. 5: every reconstructed value allclose to the original, rtol 1e-6, atol 1e-10,
 * float64), the float32 error, the ill-conditioned inverse, and agreement with the ND4J oracle.
 */
class NodeReconstructionTest extends EngineTestBase {

    static final double RTOL = 1e-6;
    static final double ATOL = 1e-10;

    /** Forward, inverse, and the paper's allclose on X and on every previous potential. Returns {X error, V error}. */
    static double[] roundTrip(ReversibleNeuronNode node, NDArray x, boolean assertClose, String label) {
        int perStep = (int) (x.getShape().size() / x.getShape().get(0));
        try (ReversibleNeuronNode.Run r = Autograd.withRecording(false, () -> node.run(x, true));
             NodeInverse.Reconstruction back = node.inverse(r.outputs(), r.lastPotential())) {
            double[] want = Tensors.toDoubles(x);
            double[] got = Tensors.toDoubles(back.inputs());
            double[] vWant = shiftedWithZeros(Tensors.toDoubles(r.potentials()), perStep);
            double[] vGot = Tensors.toDoubles(back.previousPotentials());
            double ex = maxAbsDiff(got, want);
            double ev = maxAbsDiff(vGot, vWant);
            System.out.printf(Locale.ROOT, "reconstruction %s: max |dX| %.3e, max |dV| %.3e (rel %.3e), min |D| %.3e, max amplification %.3e%n",
                    label, ex, ev, relDiff(vGot, vWant), back.minDenominator(), back.maxAmplification());
            if (assertClose) {
                assertTrue(allClose(got, want, RTOL, ATOL), label + ": X not allclose, max diff " + ex);
                assertTrue(allClose(vGot, vWant, RTOL, ATOL), label + ": V not allclose, max diff " + ev);
            }
            return new double[] {ex, ev};
        }
    }

    /**
     * The paper's allclose on random inputs. X is recovered to rounding at every T (only Y and a 0/1 step enter it).
     * The previous potentials are recovered by dividing by D = (1 - Y)(1 - 1/tau) + alpha once per step, so a rounding
     * error of the kept last potential grows by the product of 1/|D| back to step 0 (the inverse reports the largest
     * such product). Where that product times float64's epsilon stays well under 1e-10 the paper's check passes; at
     * T = 8 on these inputs it reaches about 2e9 and V^{-1}..V^{T-2} miss atol 1e-10 (max error about 2.5e-8):
     * asserted here as what it is, an error explained by the conditioning, not hidden.
     */
    @Test
    void randomInputsReconstructWithinThePapersTolerance() {
        for (int groups : new int[] {2, 3, 4, 8}) {
            for (int t : new int[] {1, 4, 8}) {
                ReversibleNeuronNode node = new ReversibleNeuronNode(ReversibleNodeSpec.defaults().withGroups(groups));
                try (NDArray x = gaussian(manager, 31L * groups + t, 0.5, 1.0, DataType.FLOAT64, t, 4, 3, 24)) {
                    String label = "random n=" + groups + " T=" + t;
                    double[] e = roundTrip(node, x, t <= 4, label);
                    assertTrue(allClose(new double[] {e[0]}, new double[] {0}, 0, ATOL), label + ": X error " + e[0]);
                    if (t > 4) {
                        assertConditioningExplains(node, x, e[1], label);
                    }
                }
            }
        }
    }

    /** The potential error is within a small multiple of epsilon x amplification x scale (the inverse's own bound). */
    static void assertConditioningExplains(ReversibleNeuronNode node, NDArray x, double vError, String label) {
        try (ReversibleNeuronNode.Run r = Autograd.withRecording(false, () -> node.run(x, true));
             NodeInverse.Reconstruction back = node.inverse(r.outputs(), r.lastPotential())) {
            double eps = x.getDataType() == DataType.FLOAT64 ? 0x1.0p-52 : 0x1.0p-23;
            double scale = Math.max(1, ArrayChecks.maxAbs(Tensors.toDoubles(r.potentials())));
            double bound = 64 * eps * back.maxAmplification() * scale;
            System.out.printf(Locale.ROOT, "  %s: V error %.3e <= conditioning bound %.3e%n", label, vError, bound);
            assertTrue(vError <= bound, label + ": V error " + vError + " exceeds the conditioning bound " + bound);
        }
    }

    @Test
    void otherHyperParametersReconstructToo() {
        List<ReversibleNodeSpec> specs = List.of(
                ReversibleNodeSpec.defaults().withTau(1.5).withAlpha(0.1),
                ReversibleNodeSpec.defaults().withAlpha(0.8).withBeta(0.5).withReset(0.5, -0.2),
                ReversibleNodeSpec.defaults().withTau(4.0).withAlpha(0.05).withDetachReset(true));
        int i = 0;
        for (ReversibleNodeSpec spec : specs) {
            ReversibleNeuronNode node = new ReversibleNeuronNode(spec);
            try (NDArray x = gaussian(manager, 500 + i++, 0.5, 1.0, DataType.FLOAT64, 6, 2, 5, 8)) {
                roundTrip(node, x, true, spec.toString());
            }
        }
    }

    /** Inputs a trained layer produces: a conv trained a few SGD steps in front of the node, then its outputs. */
    @Test
    void inputsFromATrainedConvLayerReconstruct() {
        for (int groups : new int[] {2, 4}) {
            ReversibleNeuronNode node = new ReversibleNeuronNode(ReversibleNodeSpec.defaults().withGroups(groups));
            node.setBackwardMode(BackwardMode.INVERSE_GRADIENT);
            int t = 4;
            try (Conv2d conv = Conv2d.of(2, 6, 3, 1, 1); Sgd sgd = new Sgd(0.9, 0.0);
                 NDArray data = gaussian(manager, 77, 0.5, 1.0, DataType.FLOAT64, t, 4, 2, 8, 8);
                 NDArray target = gaussian(manager, 78, 0.0, 1.0, DataType.FLOAT64, t, 4, 6, 8, 8)) {
                conv.initialize(manager, DataType.FLOAT64, new Random(5));
                List<Parameter> ps = conv.allParameters();
                ForwardContext ctx = ForwardContext.train(t);
                double first = 0;
                double last = 0;
                for (int step = 0; step < 8; step++) {
                    boolean before = Autograd.setRecording(true);
                    try (NDArray x = conv.forward(data, ctx); Segment.Trace tr = node.forwardTrain(x, true, ctx);
                         NDArray diff = tr.output().sub(target);
                         NDArray two = Tensors.constant(diff, 2.0 / diff.getShape().size()); NDArray dy = diff.mul(two);
                         NDArray sq = diff.mul(diff); NDArray loss = sq.mean();
                         NDArray dx = tr.backward(tr.output(), dy)) {
                        last = NodeInverse.scalar(loss);
                        if (step == 0) {
                            first = last;
                        }
                        Autograd.backward(x, dx);
                    } finally {
                        Autograd.setRecording(before);
                    }
                    sgd.step(ps, 0.05);
                }
                System.out.printf(Locale.ROOT, "trained conv (n=%d): loss %.5f -> %.5f over 8 SGD steps%n", groups, first, last);
                assertTrue(last < first, "the layer must have trained: " + first + " -> " + last);
                try (NDArray x = Autograd.withRecording(false, () -> conv.forward(data, ForwardContext.eval(t)))) {
                    roundTrip(node, x, true, "trained conv n=" + groups);
                }
            }
        }
    }

    /**
     * float32: the same inputs, the reconstruction compared with the float32 originals. Reported for T = 4 and 8; at
     * T = 4 the potentials come back to about 2e-3 (relative 5e-4) and X to rounding; at T = 8 the amplification
     * (up to 2e9) leaves float32 potentials useless and one rounding error flips a Heaviside step, so one X comes
     * back off by 1/beta. Asserted: T = 4 within loose bounds; T = 8 only within the conditioning bound for V.
     */
    @Test
    void float32ReconstructionErrorIsReported() {
        for (int groups : new int[] {2, 4}) {
            for (int t : new int[] {4, 8}) {
                ReversibleNeuronNode node = new ReversibleNeuronNode(ReversibleNodeSpec.defaults().withGroups(groups));
                try (NDArray x = gaussian(manager, 31L * groups + t, 0.5, 1.0, DataType.FLOAT32, t, 4, 3, 24)) {
                    String label = "float32 n=" + groups + " T=" + t;
                    double[] e = roundTrip(node, x, false, label);
                    if (t <= 4) {
                        assertTrue(e[0] < 1e-6, label + ": X error " + e[0]);
                        assertTrue(e[1] < 1e-2, label + ": V error " + e[1]);
                    } else {
                        assertConditioningExplains(node, x, e[1], label);
                    }
                }
            }
        }
    }

    /** Where (1 - Y)(1 - 1/tau) + alpha is 0 the forward erased V', and the inverse says so. */
    @Test
    void nearZeroDenominatorIsDetectedAndNamed() {
        ReversibleNodeSpec spec = ReversibleNodeSpec.defaults(); // D_0 = 0.5 (1 - Y_0) + 0.15 = 0 at Y_0 = 1.3
        ReversibleNeuronNode node = new ReversibleNeuronNode(spec);
        int t = 3;
        double[] xv = ReferenceArrays.gaussian(9, t * 2 * 4, 0.3, 0.2);
        // step 1, batch 1, element 1 of group 0 (last-dim index 1): X_0 small (no spike), X_1 = 1.3 gives Y_0 = 1.3
        int base = 1 * 2 * 4 + 1 * 4;
        xv[base + 1] = 0.0;
        xv[base + 2 + 1] = 1.3;
        try (NDArray x = Tensors.fromDoubles(manager, xv, new Shape(t, 2, 4), DataType.FLOAT64);
             ReversibleNeuronNode.Run r = Autograd.withRecording(false, () -> node.run(x, false))) {
            IllConditionedInverseException e = assertThrows(IllConditionedInverseException.class,
                    () -> node.inverse(r.outputs(), r.lastPotential()).close());
            System.out.println("ill-conditioned inverse: " + e.getMessage());
            assertEquals(1, e.step());
            assertEquals(0, e.group());
            assertEquals(1 * 2 + 1, e.element()); // [b=1, j=1] in the group's [B, L/n] slice
            assertTrue(Math.abs(e.denominator()) < 1e-12);
            assertTrue(e.getMessage().contains("t=1") && e.getMessage().contains("group 0 of 2")
                    && e.getMessage().contains("Eq. 11"), e.getMessage());
            // the memory-saving backward refuses too, in either mode
            for (BackwardMode mode : new BackwardMode[] {BackwardMode.FORWARD_RERUN, BackwardMode.INVERSE_GRADIENT}) {
                try (NDArray ones = r.outputs().onesLike()) {
                    assertThrows(IllConditionedInverseException.class,
                            () -> node.reverse(r.outputs(), r.lastPotential(), ones, mode).close(), mode.name());
                }
            }
            // with the check off the inverse returns, and the reconstruction is visibly wrong; it still says so, once
            ReversibleNeuronNode unchecked = new ReversibleNeuronNode(spec, 0.0);
            java.util.List<String> said = new java.util.ArrayList<>();
            unchecked.inverter().setWarnings(said::add);
            unchecked.inverter().setName("node under test");
            try (NodeInverse.Reconstruction again = unchecked.inverse(r.outputs(), r.lastPotential())) {
                assertEquals(1, unchecked.inverter().illConditionedSteps());
            }
            try (NodeInverse.Reconstruction back = unchecked.inverse(r.outputs(), r.lastPotential())) {
                assertEquals(2, unchecked.inverter().illConditionedSteps(), "counted every time");
                assertEquals(1, said.size(), "said once: " + said);
                assertTrue(said.get(0).startsWith("node under test: the inverse divides by |D|") && said.get(0).contains("time step 1")
                        && said.get(0).contains("group 0 of 2"), said.get(0));
                double err = maxAbsDiff(Tensors.toDoubles(back.previousPotentials()), new double[xv.length]);
                System.out.printf(Locale.ROOT, "unchecked inverse at D ~ 0: max amplification %.3e%n", back.maxAmplification());
                assertTrue(back.maxAmplification() > 1e12 || !Double.isFinite(err) || err > 1e-3);
            }
        }
    }

    @Test
    void agreesWithTheNd4jOracle() {
        for (int groups : new int[] {2, 4}) {
            for (int t : new int[] {1, 3, 6}) {
                ReversibleNodeSpec spec = ReversibleNodeSpec.defaults().withGroups(groups);
                ReferenceReversibleNode.Params p = new ReferenceReversibleNode.Params(spec.tau(), spec.vth(), spec.vres(),
                        spec.alpha(), spec.beta(), groups);
                ReversibleNeuronNode node = new ReversibleNeuronNode(spec);
                long[] shape = {t, 2, 3, 8};
                double[] xv = ReferenceArrays.gaussian(1000 + 10L * groups + t, (int) new Shape(shape).size(), 0.5, 1.0);
                ReferenceReversibleNode.Forward ref = ReferenceReversibleNode.forward(ReferenceArrays.fromDoubles(xv, shape), p);
                ReferenceReversibleNode.Inverse refInv = ReferenceReversibleNode.inverse(ref.outputs(),
                        ReferenceReversibleNode.lastStep(ref.potentials()), p);
                try (NDArray x = Tensors.fromDoubles(manager, xv, new Shape(shape), DataType.FLOAT64);
                     ReversibleNeuronNode.Run r = Autograd.withRecording(false, () -> node.run(x, true));
                     NodeInverse.Reconstruction back = node.inverse(r.outputs(), r.lastPotential())) {
                    String l = "n=" + groups + " T=" + t;
                    double ey = maxAbsDiff(Tensors.toDoubles(r.outputs()), ReferenceArrays.toDoubles(ref.outputs()));
                    double ev = maxAbsDiff(Tensors.toDoubles(r.potentials()), ReferenceArrays.toDoubles(ref.potentials()));
                    double ex = maxAbsDiff(Tensors.toDoubles(back.inputs()), ReferenceArrays.toDoubles(refInv.inputs()));
                    double ep = maxAbsDiff(Tensors.toDoubles(back.previousPotentials()), ReferenceArrays.toDoubles(refInv.previousPotentials()));
                    System.out.printf(Locale.ROOT, "oracle %s: Y %.1e, V %.1e, inverse X %.1e, inverse V' %.1e%n", l, ey, ev, ex, ep);
                    assertTrue(ey <= 1e-10 && ev <= 1e-10 && ex <= 1e-10 && ep <= 1e-10, l);
                }
            }
        }
    }

    @Test
    void invertibleInterfaceUsesTheLastForward() {
        ReversibleNeuronNode node = new ReversibleNeuronNode(ReversibleNodeSpec.defaults());
        try (NDArray x = gaussian(manager, 4, 0.5, 1.0, DataType.FLOAT64, 3, 2, 4, 6);
             NDArray y = Autograd.withRecording(false, () -> node.forward(x, ForwardContext.train(3)));
             NDArray back = node.inverse(y, ForwardContext.train(3))) {
            assertTrue(allClose(Tensors.toDoubles(back), Tensors.toDoubles(x), RTOL, ATOL));
        }
        assertThrows(IllegalArgumentException.class, () -> ReversibleNodeSpec.defaults().withGroups(1));
        assertThrows(IllegalArgumentException.class, () -> ReversibleNodeSpec.defaults().withBeta(0));
        try (NDArray odd = gaussian(manager, 5, 0.5, 1.0, DataType.FLOAT64, 2, 2, 5)) {
            assertThrows(IllegalArgumentException.class, () -> node.forward(odd, ForwardContext.train(2)));
        }
    }
}
