package org.revbench.core.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;

class SpikingNeuronTest extends EngineTestBase {


    private static NDArray seq(double... values) {
        return Tensors.fromDoubles(manager, values, new Shape(values.length, 1, 1), DataType.FLOAT64);
    }

    @Test
    void ifNeuronIntegratesFiresAtThresholdInclusiveAndResetsToZero() {
        // v: 0.6 | 1.2 -> fire, reset 0 | 0.3 | 1.3 -> fire | 1.0 -> fire (>= is inclusive) | -0.5
        try (NDArray x = seq(0.6, 0.6, 0.3, 1.0, 1.0, -0.5);
             SpikingNeuron.Trace tr = new IfNeuron(Surrogates.atan(2)).run(x, true)) {
            assertArrayEquals(new double[] {0, 1, 0, 1, 1, 0}, tr.spikes().toDoubleArray());
            assertArrayEquals(new double[] {0.6, 1.2, 0.3, 1.3, 1.0, -0.5}, tr.potentials().toDoubleArray(), 1e-15);
        }
    }

    @Test
    void lifNeuronDecaysTowardsInput() {
        // tau 2: v = v + (x - v)/2
        // t0: 0 + (1.5-0)/2 = 0.75 | t1: 0.75 + (1.5-0.75)/2 = 1.125 fire -> 0
        // t2: 0 + (2.0-0)/2 = 1.0 fire (inclusive) -> 0 | t3: 0 + (-1-0)/2 = -0.5 | t4: -0.5 + (0.5+0.5)/2 = 0
        try (NDArray x = seq(1.5, 1.5, 2.0, -1.0, 0.5);
             SpikingNeuron.Trace tr = new LifNeuron(2.0, Surrogates.sigmoid(4)).run(x, true)) {
            assertArrayEquals(new double[] {0, 1, 1, 0, 0}, tr.spikes().toDoubleArray());
            assertArrayEquals(new double[] {0.75, 1.125, 1.0, -0.5, 0.0}, tr.potentials().toDoubleArray(), 1e-15);
        }
    }

    @Test
    void spikeGradientIsTheSurrogateDerivativeAndResetPathIsDetached() {
        // one step: ds/dx = g'(x - 1); the potential after reset does not feed back through the spike
        Surrogate sg = Surrogates.atan(2);
        double[] xs = {0.3, 0.95, 1.0, 1.7, -2.0};
        try (NDArray x = Tensors.fromDoubles(manager, xs, new Shape(1, xs.length), DataType.FLOAT64)) {
            x.setRequiresGradient(true);
            boolean before = Autograd.setRecording(true);
            try (NDArray s = new IfNeuron(sg).forward(x, org.revbench.core.nn.ForwardContext.train(1));
                 NDArray sum = s.sum()) {
                Autograd.backwardScalar(sum);
            } finally {
                Autograd.setRecording(before);
            }
            try (NDArray g = Autograd.gradient(x)) {
                double[] got = g.toDoubleArray();
                for (int i = 0; i < xs.length; i++) {
                    assertEquals(sg.derivative(xs[i] - 1.0), got[i], 1e-12, "x=" + xs[i]);
                }
            }
        }
    }
    /**
     * Two LIF steps, x1 only: s2 = H(h2 - 1), h2 = v1 (1 - 1/tau) + x2/tau, v1 = h1 (1 - s1), h1 = x1/tau. Detached,
     * dv1/dx1 = (1 - s1)/tau; on the graph (SpikingJelly's default) the reset adds -h1 g'(h1 - 1)/tau.
     */
    @Test
    void resetOnTheGraphAddsTheSpikeTermToTheGradientAndLeavesValuesAlone() {
        Surrogate sg = Surrogates.sigmoid(4);
        double tau = 2.0;
        double[] x1s = {0.4, 1.9, 2.0, 2.6, -1.0};
        double x2 = 1.5;
        for (boolean detach : new boolean[] {true, false}) {
            for (double x1 : x1s) {
                try (NDArray x = seq(x1, x2)) {
                    x.setRequiresGradient(true);
                    LifNeuron n = new LifNeuron(tau, sg);
                    n.setDetachReset(detach);
                    boolean before = Autograd.setRecording(true);
                    double s2;
                    try (NDArray s = n.forward(x, org.revbench.core.nn.ForwardContext.train(1));
                         NDArray last = s.get(1).sum()) {
                        s2 = last.toDoubleArray()[0];
                        Autograd.backwardScalar(last);
                    } finally {
                        Autograd.setRecording(before);
                    }
                    double h1 = x1 / tau;
                    double s1 = h1 >= 1 ? 1 : 0;
                    double v1 = h1 * (1 - s1);
                    double h2 = v1 * (1 - 1 / tau) + x2 / tau;
                    assertEquals(h2 >= 1 ? 1.0 : 0.0, s2, 0.0, "forward, x1=" + x1);
                    double dv1 = (1 - s1) / tau - (detach ? 0 : h1 * sg.derivative(h1 - 1) / tau);
                    double expected = sg.derivative(h2 - 1) * (1 - 1 / tau) * dv1;
                    try (NDArray g = Autograd.gradient(x)) {
                        assertEquals(expected, g.toDoubleArray()[0], 1e-12, "detach=" + detach + " x1=" + x1);
                    }
                }
            }
        }
    }
}
