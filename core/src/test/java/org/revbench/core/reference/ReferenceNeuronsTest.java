package org.revbench.core.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ReferenceNeuronsTest {

    private static final double EXACT = 1e-15;

    @Test
    void ifNeuronHandComputed() {
        // x is [T=4, B=2]; column 0: 0.6, 0.6, 0.3, 1.2; column 1 (ties): 0.5, 0.5, 0.25, 0.75
        // column 0: t0 h = 0.6 (no spike, v = 0.6); t1 h = 1.2 (spike, v = 0); t2 h = 0.3 (v = 0.3);
        //           t3 h = 1.5 (spike)
        // column 1: t0 h = 0.5; t1 h = 1.0 exactly -> fires because of >=, v = 0; t2 h = 0.25; t3 h = 1.0 -> fires
        INDArray x = ReferenceArrays.fromDoubles(new double[] {
            0.6, 0.5,
            0.6, 0.5,
            0.3, 0.25,
            1.2, 0.75}, 4, 2);
        ReferenceNeurons.NeuronTrace r = ReferenceNeurons.ifNeuron(x);
        assertArrayEquals(new long[] {4, 2}, r.spikes().shape());
        assertEquals(DataType.DOUBLE, r.spikes().dataType());
        assertEquals(DataType.DOUBLE, r.potentials().dataType());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 1, 1}, ReferenceArrays.toDoubles(r.spikes()), 0.0);
        assertArrayEquals(new double[] {0.6, 0.5, 1.2, 1.0, 0.3, 0.25, 1.5, 1.0},
                ReferenceArrays.toDoubles(r.potentials()), EXACT);
    }

    @Test
    void ifThresholdIsInclusiveAndStrictlyBelowDoesNotFire() {
        INDArray x = ReferenceArrays.fromDoubles(new double[] {1.0, Math.nextDown(1.0), 2.0, 1.999999}, 1, 4);
        INDArray s = ReferenceNeurons.ifNeuron(x, 2.0).spikes();
        // vth 2: 1.0 and 0.99.. do not fire; 2.0 fires (tie), 1.999999 does not
        assertArrayEquals(new double[] {0, 0, 1, 0}, ReferenceArrays.toDoubles(s), 0.0);
        INDArray s1 = ReferenceNeurons.ifNeuron(x).spikes();
        assertArrayEquals(new double[] {1, 0, 1, 1}, ReferenceArrays.toDoubles(s1), 0.0);
    }

    @Test
    void lifNeuronTau2HandComputed() {
        // tau 2, decay_input: h = v + (x - v) / 2 = (v + x) / 2; all values below are exact binary fractions.
        // column 0, x = 1.5, 1.0, 1.0, 2.0, 0.8:
        //   t0 h = 0.75; t1 h = (0.75 + 1) / 2 = 0.875; t2 h = 0.9375; t3 h = (0.9375 + 2) / 2 = 1.46875 spike,
        //   v = 0; t4 h = 0.4
        // column 1 (ties), x = 2.0, 0.5, 1.5, 0.5, 1.5:
        //   t0 h = 1.0 exactly -> spike, v = 0; t1 h = 0.25; t2 h = 0.875; t3 h = 0.6875; t4 h = 1.09375 spike
        INDArray x = ReferenceArrays.fromDoubles(new double[] {
            1.5, 2.0,
            1.0, 0.5,
            1.0, 1.5,
            2.0, 0.5,
            0.8, 1.5}, 5, 2);
        ReferenceNeurons.NeuronTrace r = ReferenceNeurons.lifNeuron(x, 2.0);
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 1, 0, 0, 1}, ReferenceArrays.toDoubles(r.spikes()), 0.0);
        assertArrayEquals(new double[] {0.75, 1.0, 0.875, 0.25, 0.9375, 0.875, 1.46875, 0.6875, 0.4, 1.09375},
                ReferenceArrays.toDoubles(r.potentials()), EXACT);
    }

    @Test
    void trailingDimsMatchPlainLoops() {
        // [T=5, B=2, C=3, H=2, W=2], IF and LIF(tau 1.5), against a scalar per-element loop
        long[] shape = {5, 2, 3, 2, 2};
        INDArray x = ReferenceArrays.gaussian(7, 0.4, 0.8, shape);
        double[] xs = ReferenceArrays.toDoubles(x);
        int m = xs.length / 5;
        for (double tau : new double[] {0.0, 1.5}) {
            ReferenceNeurons.NeuronTrace r = tau > 0 ? ReferenceNeurons.lifNeuron(x, tau) : ReferenceNeurons.ifNeuron(x);
            double[][] want = PlainLoops.neuron(xs, 5, m, tau, 1.0);
            assertArrayEquals(shape, r.spikes().shape());
            assertArrayEquals(shape, r.potentials().shape());
            assertArrayEquals(want[0], ReferenceArrays.toDoubles(r.spikes()), 0.0);
            assertArrayEquals(want[1], ReferenceArrays.toDoubles(r.potentials()), 1e-15);
            double rate = r.spikes().sumNumber().doubleValue() / xs.length;
            assertTrue(rate > 0.05 && rate < 0.95, "firing rate " + rate);
        }
    }
}
