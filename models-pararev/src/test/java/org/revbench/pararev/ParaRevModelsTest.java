package org.revbench.pararev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.revbench.core.testing.EventFrameChecks;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.model.Network;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.neuron.Surrogates;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Parameter;
import org.revbench.core.nn.Sequential;
import org.revbench.core.reversible.InvertibilityAudit;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.SyntheticBatch;
import org.revbench.core.train.TrainingStep;

class ParaRevModelsTest extends EngineTestBase {

    /** docs/papers.md, ParaRevSNN architectures; ParaRevSNN's fusion keeps every count. */
    @ParameterizedTest
    @CsvSource({
        "revsresnet21, 100, 11048420", "revsresnet21, 10, 10967690",
        "revsresnet37, 100, 21377508", "revsresnet37, 10, 21296778",
        "revsresnet37-code, 100, 23590884", "revsresnet37-code, 10, 23510154",
        "revsresnet37-imagenet, 1000, 24413544",
        "revsresnet24-dvs, 10, 260362", "revsresnet24-dvs, 11, 260459",
        "pararevsnn21, 100, 11048420", "pararevsnn37, 100, 21377508", "pararevsnn21-unfused, 100, 11048420",
        "pararevsnn37-unfused, 100, 21377508", "pararevsnn24-dvs, 10, 260362",
    })
    void trainableParameterCountsAreExact(String id, int classes, long expected) {
        ModelDefinition d = ModelRegistry.load().get(id);
        try (NDManager m = manager.newSubManager(); Network n = d.build(m, d.defaults().withClasses(classes))) {
            assertEquals(expected, n.trainableParameters());
        }
    }

    /** The ImageNet RevSResNet37 takes 224x224 images (its stem brings them to the stages' 56x56) and predicts 1000 classes. */
    @Test
    void imagenetRevSResNet37PredictsFromA224Image() {
        ModelDefinition d = ModelRegistry.load().get("revsresnet37-imagenet");
        try (NDManager m = manager.newSubManager(); Network n = d.build(m, d.defaults().withTimesteps(1));
             SyntheticBatch b = SyntheticBatch.of(m, n.input(), 1, 1, 1000, DataType.FLOAT32, 4);
             NDArray y = Autograd.withRecording(false, () -> n.predict(b.input()))) {
            assertEquals(new Shape(1, 1000), y.getShape());
        }
    }

    @Test
    void depthSweepAndPlacementsAreRegisteredWithTheirDepths() {
        ModelRegistry r = ModelRegistry.load();
        for (String id : List.of("revsresnet69", "pararevsnn117", "pararevsnn165", "revsresnet25-2111", "pararevsnn25-1112")) {
            assertTrue(r.ids().contains(id), id);
        }
        assertTrue(r.get("pararevsnn165").description().contains("(165 layers)"));
        assertTrue(r.get("revsresnet25-1121").description().contains("(25 layers)"));
    }

    /** A small member of the family: 2 stages of 3 and 2 blocks (so fused modules run), 8x8 input. */
    static Network small(NDManager m, RevResNets.CouplingKind coupling, DataType dtype) {
        RevResNetSpec spec = new RevResNetSpec(8, 3, 1, RevResNetSpec.StemPool.NONE, new int[] {4, 6}, new int[] {3, 2}, NeuronSpec.integrateAndFire(Surrogates.atan(2)));
        ModelOptions o = ModelOptions.of(5, 2).withDtype(dtype).withSeed(11);
        Network n = RevResNets.build("small", spec, coupling, new InputSpec(3, 8, 8, false), o, m);
        // non-trivial BN affine parameters, so that the blocks are far from the identity
        Random r = new Random(3);
        for (Parameter p : n.parameters()) {
            if (p.name().equals("gamma") || p.name().equals("beta")) {
                double[] v = new double[(int) p.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (p.name().equals("gamma") ? 1.6 : 0.4) + 0.3 * r.nextGaussian();
                }
                p.setValues(v);
            }
        }
        return n;
    }

    @Test
    void bothCouplingsReconstructEveryStageInputInFloat64() {
        for (RevResNets.CouplingKind c : RevResNets.CouplingKind.values()) {
            try (NDManager m = manager.newSubManager(); Network n = small(m, c, DataType.FLOAT64);
                 SyntheticBatch b = SyntheticBatch.of(m, n.input(), 3, 2, 5, DataType.FLOAT64, 1)) {
                InvertibilityAudit.Result r = InvertibilityAudit.run((SegmentedNetwork) n, b.input());
                assertEquals(2, r.stages().size());
                for (InvertibilityAudit.Stage s : r.stages()) {
                    assertTrue(s.maxAbsError() <= 1e-10, c + " stage " + s.index() + " reconstruction error " + s.maxAbsError());
                    assertTrue(s.inputScale() > 0.5, c + " stage " + s.index() + " has a trivial input");
                }
                assertEquals(List.of(3, 2), r.stages().stream().map(InvertibilityAudit.Stage::blocks).toList());
            }
        }
    }

    static double[][] gradients(RevResNets.CouplingKind c, boolean memorySaving) {
        try (NDManager m = manager.newSubManager(); Network n = small(m, c, DataType.FLOAT64);
             SyntheticBatch b = SyntheticBatch.of(m, n.input(), 3, 2, 5, DataType.FLOAT64, 2)) {
            n.setMemorySaving(memorySaving);
            new TrainingStep(n, CrossEntropy.plain(), new Sgd(0, 0)).forwardBackward(b.input(), b.labels());
            List<double[]> out = new ArrayList<>();
            for (Parameter p : n.parameters()) {
                if (p.trainable()) {
                    try (NDArray g = Autograd.gradient(p.array())) {
                        out.add(Tensors.toDoubles(g));
                    }
                } else {
                    out.add(Tensors.toDoubles(p.array()));
                }
            }
            return out.toArray(new double[0][]);
        }
    }

    @Test
    void memorySavingBackwardEqualsPlainAutogradForBothCouplings() {
        for (RevResNets.CouplingKind c : RevResNets.CouplingKind.values()) {
            double[][] saving = gradients(c, true);
            double[][] plain = gradients(c, false);
            int reached = 0;
            for (int i = 0; i < plain.length; i++) {
                double scale = maxAbs(plain[i], new double[plain[i].length]);
                double rel = maxAbs(plain[i], saving[i]) / Math.max(scale, 1e-30);
                assertTrue(rel <= 1e-9, c + ": tensor " + i + " differs by " + rel + " relative");
                reached += scale > 0 ? 1 : 0;
            }
            assertTrue(reached > plain.length * 3 / 4, c + ": gradients reach " + reached + " of " + plain.length);
        }
    }

    @Test
    void fusedModuleEqualsTheTwoSeparateBranches() {
        int half = 4;
        NeuronSpec neuron = NeuronSpec.integrateAndFire(Surrogates.atan(2));
        Sequential g = SpikingBranch.of(neuron, half);
        Sequential f = SpikingBranch.of(neuron, half);
        FusedBranches fused = new FusedBranches(neuron, half);
        g.initialize(manager, DataType.FLOAT64, new Random(1));
        f.initialize(manager, DataType.FLOAT64, new Random(2));
        fused.initialize(manager, DataType.FLOAT64, new Random(3));
        // stack the branches' parameters into the fused ones: conv filters along the output channels,
        // BN parameters along the channels
        List<Parameter> gp = trainable(g);
        List<Parameter> fp = trainable(f);
        List<Parameter> mp = trainable(fused);
        assertEquals(gp.size(), mp.size());
        for (int i = 0; i < mp.size(); i++) {
            mp.get(i).setValues(concat(Tensors.toDoubles(gp.get(i).array()), Tensors.toDoubles(fp.get(i).array())));
        }
        Random r = new Random(9);
        double[] xv = new double[2 * 3 * half * 5 * 5];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = 1.5 * r.nextGaussian();
        }
        ForwardContext ctx = ForwardContext.train(2);
        try (NDArray x = Tensors.fromDoubles(manager, xv, new Shape(2, 3, half, 5, 5), DataType.FLOAT64);
             NDArray both = Autograd.withRecording(false, () -> fused.forward(x, ctx));
             NDArray gy = Autograd.withRecording(false, () -> g.forward(x, ctx));
             NDArray fy = Autograd.withRecording(false, () -> f.forward(x, ctx));
             NDArray expected = gy.concat(fy, 2)) {
            assertTrue(maxAbs(Tensors.toDoubles(expected), Tensors.toDoubles(both)) <= 1e-12);
        }
        assertEquals(g.trainableCount() + f.trainableCount(), fused.trainableCount());
    }

    static List<Parameter> trainable(Layer l) {
        return l.allParameters().stream().filter(Parameter::trainable).toList();
    }

    static double[] concat(double[] a, double[] b) {
        double[] c = new double[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static double maxAbs(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /**
     * Fed event frames (the head-to-head study's event data), the stem conv 3x3 3->128 takes 2 channels, runs on every
     * frame, and the couplings' memory-saving backward still gives plain autograd's gradients.
     */
    @ParameterizedTest
    @ValueSource(strings = {"revsresnet21", "pararevsnn21", "pararevsnn21-unfused"})
    void onEventFramesTheStemTakesTwoChannelsAndGradientsMatchAutograd(String id) {
        ModelDefinition d = ModelRegistry.load().get(id);
        ModelOptions o = d.defaults().withTimesteps(2).withClasses(10);
        assertEquals(-128L * 9, EventFrameChecks.parameterChange(manager, d, o, 32));
        double gap = EventFrameChecks.gradientGapToAutograd(manager, d, d, o, 16);
        assertTrue(gap <= 1e-9, id + ": gradients differ from autograd's by " + gap);
    }
}
