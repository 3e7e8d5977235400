package org.revbench.core.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;

/** Each surrogate: forward is the exact step, gradient is the analytic derivative to 1e-10 in float64. */
class SurrogateGradientTest extends EngineTestBase {


    static final double[] XS = {-3.0, -1.1, -0.49, -0.2, -1e-3, 0.0, 1e-3, 0.2, 0.49, 0.51, 1.1, 3.0};

    @Test
    void forwardIsHeavisideAndBackwardIsTheAnalyticDerivative() {
        List<Surrogate> all = List.of(Surrogates.atan(2), Surrogates.atan(0.5), Surrogates.sigmoid(4),
                Surrogates.sigmoid(1.5), Surrogates.rectangle(1.0), Surrogates.lorentzian(1.0));
        for (Surrogate sg : all) {
            try (NDArray x = Tensors.fromDoubles(manager, XS, new Shape(XS.length), DataType.FLOAT64)) {
                x.setRequiresGradient(true);
                boolean before = Autograd.setRecording(true);
                double[] forward;
                try (NDArray s = SpikeFunction.fire(x, sg); NDArray sum = s.sum()) {
                    forward = s.toDoubleArray();
                    Autograd.backwardScalar(sum);
                } finally {
                    Autograd.setRecording(before);
                }
                try (NDArray g = Autograd.gradient(x)) {
                    double[] grad = g.toDoubleArray();
                    for (int i = 0; i < XS.length; i++) {
                        assertEquals(XS[i] >= 0 ? 1.0 : 0.0, forward[i], 0.0, sg.name() + " forward at " + XS[i]);
                        assertEquals(sg.derivative(XS[i]), grad[i], 1e-10, sg.name() + " gradient at " + XS[i]);
                    }
                }
            }
        }
    }

    @Test
    void tensorDerivativeEqualsTheScalarOneAndTheAutogradDefault() {
        List<Surrogate> all = List.of(Surrogates.atan(2), Surrogates.atan(0.5), Surrogates.sigmoid(4),
                Surrogates.sigmoid(1.5), Surrogates.rectangle(1.0), Surrogates.lorentzian(1.0));
        for (Surrogate sg : all) {
            // the interface's default (autograd through the primitive) on a wrapper that does not override it
            Surrogate viaDefault = new Surrogate() {
                @Override public String name() { return sg.name(); }
                @Override public NDArray primitive(NDArray x) { return sg.primitive(x); }
                @Override public double derivative(double x) { return sg.derivative(x); }
            };
            try (NDArray x = Tensors.fromDoubles(manager, XS, new Shape(XS.length), DataType.FLOAT64);
                 NDArray closed = sg.derivative(x); NDArray auto = viaDefault.derivative(x)) {
                assertEquals(false, closed.hasGradient(), sg.name());
                double[] c = closed.toDoubleArray();
                double[] a = auto.toDoubleArray();
                for (int i = 0; i < XS.length; i++) {
                    assertEquals(sg.derivative(XS[i]), c[i], 1e-15, sg.name() + " closed form at " + XS[i]);
                    assertEquals(sg.derivative(XS[i]), a[i], 1e-12, sg.name() + " autograd default at " + XS[i]);
                }
            }
        }
    }

    @Test
    void analyticDerivativesHaveTheirDocumentedValues() {
        assertEquals(1.0, Surrogates.atan(2).derivative(0), 0);                 // alpha/2
        assertEquals(1 / (1 + Math.PI * Math.PI), Surrogates.atan(2).derivative(1), 1e-15);
        assertEquals(1.0, Surrogates.sigmoid(4).derivative(0), 1e-15);         // 4 * 1/2 * 1/2
        assertEquals(1.0, Surrogates.rectangle(1).derivative(0.49), 0);
        assertEquals(0.0, Surrogates.rectangle(1).derivative(0.51), 0);
        // the reversible node paper's 1/(1+(pi x)^2) is atan(2)
        for (double x : XS) {
            assertEquals(Surrogates.atan(2).derivative(x), Surrogates.lorentzian(1).derivative(x), 1e-15);
        }
    }

    @Test
    void parsesNamesAndRejectsUnknownOnes() {
        assertEquals("sigmoid(4.0)", Surrogates.parse("sigmoid(4)").name());
        assertArrayEquals(new double[] {0.5}, new double[] {Surrogates.parse(" rectangle( 2 ) ").derivative(0.9)});
        assertThrows(IllegalArgumentException.class, () -> Surrogates.parse("relu(1)"));
        assertThrows(IllegalArgumentException.class, () -> Surrogates.parse("atan"));
    }
}
