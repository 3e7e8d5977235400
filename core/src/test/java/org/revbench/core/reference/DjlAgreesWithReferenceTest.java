package org.revbench.core.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.EngineTestBase;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;
import org.revbench.core.neuron.IfNeuron;
import org.revbench.core.neuron.LifNeuron;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.neuron.SpikingNeuron;
import org.revbench.core.neuron.Surrogates;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Sequential;
import org.revbench.core.nn.SpikingLayers;
import org.revbench.core.reversible.SequentialCoupling;

/** The DJL implementation against the independent ND4J float64 oracle, to 1e-10. */
class DjlAgreesWithReferenceTest extends EngineTestBase {


    static final long[] SHAPE = {4, 3, 8, 5, 5};

    static double[] gaussian(long seed, int n, double std) {
        return ReferenceArrays.gaussian(seed, n, 0.4, std);
    }

    static NDArray djl(double[] v, long... shape) {
        return Tensors.fromDoubles(manager, v, new Shape(shape), DataType.FLOAT64);
    }

    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertArrayEquals(expected, actual, tol, what);
    }

    @Test
    void ifAndLifStepsAgree() {
        int n = (int) ReferenceArrays.numel(SHAPE);
        double[] x = gaussian(1, n, 1.0);
        INDArray rx = ReferenceArrays.fromDoubles(x, SHAPE);
        SpikingNeuron[] djlNeurons = {new IfNeuron(Surrogates.atan(2)), new LifNeuron(1.5, Surrogates.sigmoid(4)),
            new LifNeuron(2.0, 0.7, Surrogates.sigmoid(4))};
        ReferenceNeurons.NeuronTrace[] refs = {ReferenceNeurons.ifNeuron(rx), ReferenceNeurons.lifNeuron(rx, 1.5),
            ReferenceNeurons.lifNeuron(rx, 2.0, 0.7)};
        for (int i = 0; i < refs.length; i++) {
            try (NDArray dx = djl(x, SHAPE); SpikingNeuron.Trace tr = djlNeurons[i].run(dx, true)) {
                double[] spikes = tr.spikes().toDoubleArray();
                assertClose(ReferenceArrays.toDoubles(refs[i].spikes()), spikes, 0, djlNeurons[i].kind() + " spikes");
                assertClose(ReferenceArrays.toDoubles(refs[i].potentials()), tr.potentials().toDoubleArray(), 1e-10,
                        djlNeurons[i].kind() + " potentials");
                double rate = java.util.Arrays.stream(spikes).average().orElse(0);
                assertTrue(rate > 0.05 && rate < 0.95, "the sequence must exercise both firing and silence: " + rate);
            }
        }
    }

    /** Copies the oracle's weights into a DJL spike -> conv -> BN unit. */
    static Sequential djlUnit(ReferenceSpikingConvBn ref, int c) {
        Sequential unit = SpikingLayers.spikeConvBn(NeuronSpec.integrateAndFire(Surrogates.atan(2)), c, c, 3, 1);
        unit.initialize(manager, DataType.FLOAT64, new Random(0));
        unit.children().get("conv").allParameters().get(0).setValues(ref.weightValues());
        Layer bn = unit.children().get("bn");
        bn.allParameters().get(0).setValues(ref.gammaValues());
        bn.allParameters().get(1).setValues(ref.betaValues());
        return unit;
    }

    @Test
    void sequentialCouplingForwardAndInverseAgree() {
        int c = (int) SHAPE[2] / 2;
        ReferenceSpikingConvBn rf = ReferenceSpikingConvBn.random(21, c, c);
        ReferenceSpikingConvBn rg = ReferenceSpikingConvBn.random(31, c, c);
        ReferenceSequentialCoupling ref = new ReferenceSequentialCoupling(rf, rg);
        SequentialCoupling coupling = new SequentialCoupling(djlUnit(rf, c), djlUnit(rg, c));

        double[] x = gaussian(5, (int) ReferenceArrays.numel(SHAPE), 1.5);
        INDArray ry = ref.forward(ReferenceArrays.fromDoubles(x, SHAPE));
        ForwardContext ctx = ForwardContext.train((int) SHAPE[0]);
        try (NDArray dx = djl(x, SHAPE); NDArray y = Autograd.withRecording(false, () -> coupling.forward(dx, ctx))) {
            assertClose(ReferenceArrays.toDoubles(ry), y.toDoubleArray(), 1e-10, "coupling forward");
            INDArray rx = ref.inverse(ry);
            try (NDArray back = Autograd.withRecording(false, () -> coupling.inverse(y, ctx))) {
                assertClose(ReferenceArrays.toDoubles(rx), back.toDoubleArray(), 1e-10, "coupling inverse");
                assertClose(x, back.toDoubleArray(), 1e-10, "reconstruction");
            }
        }
        coupling.close();
    }
}
