package org.revbench.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.Linear;
import org.revbench.core.nn.Parameter;

/** SGD and AdamW follow PyTorch's update rules and LAMB timm's, checked against hand-computed steps. */
class OptimizerTest extends EngineTestBase {


    /** A 1x1 linear layer: weight w, bias b, so two scalar parameters. */
    static Linear layer(double w, double b) {
        Linear l = new Linear(1, 1);
        l.initialize(manager, DataType.FLOAT64, new Random(0));
        l.allParameters().get(0).setValues(new double[] {w});
        l.allParameters().get(1).setValues(new double[] {b});
        return l;
    }

    static void setGradients(List<Parameter> ps, double... g) {
        for (int i = 0; i < ps.size(); i++) {
            try (NDArray grad = Tensors.fromDoubles(manager, new double[] {g[i]}, ps.get(i).shape(), DataType.FLOAT64)) {
                Autograd.backward(ps.get(i).array(), grad); // a leaf's backward sets its .grad
            }
        }
    }

    static double value(Parameter p) { return Tensors.toDoubles(p.array())[0]; }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        try (Linear l = layer(1.0, -2.0); Sgd sgd = new Sgd(0.9, 0.1)) {
            List<Parameter> ps = l.allParameters();
            setGradients(ps, 0.5, 0.25);
            sgd.step(ps, 0.1);
            // d = g + 0.1 p = 0.6 / 0.05; buf = d; p = p - 0.1 d
            assertEquals(1.0 - 0.06, value(ps.get(0)), 1e-15);
            assertEquals(-2.0 - 0.005, value(ps.get(1)), 1e-15);
            try (NDArray g = Autograd.gradient(ps.get(0).array())) {
                assertArrayEquals(new double[] {0}, g.toDoubleArray(), 0, "gradients are zeroed after the update");
            }
            setGradients(ps, 0.5, 0.25);
            sgd.step(ps, 0.1);
            // w: d = 0.5 + 0.1*0.94 = 0.594; buf = 0.9*0.6 + 0.594 = 1.134; w = 0.94 - 0.1134
            assertEquals(0.94 - 0.1134, value(ps.get(0)), 1e-15);
            // b: d = 0.25 + 0.1*(-2.005) = 0.0495; buf = 0.9*0.05 + 0.0495 = 0.0945; b = -2.005 - 0.00945
            assertEquals(-2.005 - 0.00945, value(ps.get(1)), 1e-15);
        }
    }

    /**
     * The update with its numbers held as tensors made once per step gives, bit for bit in float32, what DJL's number
     * form of the same formula gives (the form before, which made a tensor from Java for every number of every
     * parameter): d = w wd + g; buf = momentum buf + d; w -= lr buf.
     */
    @Test
    void sgdIsBitForBitTheNumberFormInFloat32() {
        try (NDManager own = manager.newSubManager(); TinyParameters t = new TinyParameters(own, DataType.FLOAT32, 5, 3, 11);
             TinyParameters ref = new TinyParameters(own, DataType.FLOAT32, 5, 3, 11); Sgd sgd = new Sgd(0.9, 1e-4)) {
            java.util.Map<Parameter, NDArray> buffers = new java.util.IdentityHashMap<>();
            for (int k = 0; k < 4; k++) {
                double lr = 0.1 / (k + 1); // a schedule: a new learning rate every step
                t.step(sgd, k, lr);
                ref.gradients(k);
                Optimizer.forEachGradient(ref.parameters, (p, w, g) -> {
                    NDArray d = w.mul(1e-4).addi(g);
                    NDArray buf = buffers.get(p);
                    if (buf == null) {
                        buffers.put(p, d);
                    } else {
                        buf.muli(0.9).addi(d);
                        d.close();
                    }
                    try (NDArray step = buffers.get(p).mul(lr)) {
                        w.subi(step);
                    }
                });
                for (int i = 0; i < t.parameters.size(); i++) {
                    assertArrayEquals(ref.parameters.get(i).array().toFloatArray(), t.parameters.get(i).array().toFloatArray(),
                            "parameter " + i + " after step " + k);
                }
            }
            buffers.values().forEach(NDArray::close);
        }
    }

    @Test
    void adamWFirstStepsMoveByLearningRateTimesSign() {
        try (Linear l = layer(1.0, -2.0); Adam adam = Adam.adamW(0.01)) {
            List<Parameter> ps = l.allParameters();
            setGradients(ps, 0.5, -3.0);
            adam.step(ps, 0.1);
            // decoupled decay: p *= 1 - lr*wd; then m_hat = g, v_hat = g^2: p -= lr * g/(|g| + eps)
            assertEquals(1.0 * (1 - 0.001) - 0.1 * 0.5 / (0.5 + 1e-8), value(ps.get(0)), 1e-12);
            assertEquals(-2.0 * (1 - 0.001) + 0.1 * 3.0 / (3.0 + 1e-8), value(ps.get(1)), 1e-12);
            setGradients(ps, 0.5, -3.0);
            double w = value(ps.get(0));
            adam.step(ps, 0.1);
            // same gradient again: m_hat = g and v_hat = g^2 still
            assertEquals(w * (1 - 0.001) - 0.1 * 0.5 / (0.5 + 1e-8), value(ps.get(0)), 1e-12);
        }
    }

    @Test
    void lambScalesEachUpdateByTheTrustRatio() {
        try (Linear l = layer(1.0, -2.0); Lamb lamb = Lamb.timm(0.01)) {
            List<Parameter> ps = l.allParameters();
            setGradients(ps, 0.5, -3.0);
            lamb.step(ps, 0.1);
            // first step: m_hat = g, v_hat = g^2, so u = g/(|g| + eps) + wd p; a scalar's trust ratio |p|/|u| makes
            // the step lr * |p| * sign(u), whatever the clipping
            assertEquals(1.0 - 0.1 * 1.0, value(ps.get(0)), 1e-12);
            assertEquals(-2.0 + 0.1 * 2.0, value(ps.get(1)), 1e-12);
        }
    }

    @Test
    void lambClipsTheGradientsToAGlobalNormOfOne() {
        try (Linear l = layer(1.0, -2.0); Lamb lamb = new Lamb(0.9, 0.999, 1e-6, 0, 1.0)) {
            List<Parameter> ps = l.allParameters();
            setGradients(ps, 0.5, -3.0);
            lamb.step(ps, 0.1);
            setGradients(ps, 3.0, 0.0);
            double w = value(ps.get(0));
            lamb.step(ps, 0.1);
            // no weight decay: no trust ratio, plain Adam moments on the clipped gradients (norms sqrt(9.25) and 3)
            double g1 = 0.5 / Math.sqrt(9.25);
            double g2 = 3.0 / 3.0;
            double m = 0.9 * 0.1 * g1 + 0.1 * g2;
            double v = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
            double u = (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-6);
            assertEquals(w - 0.1 * u, value(ps.get(0)), 1e-12);
        }
    }

    @Test
    void crossEntropyWithLabelSmoothingMatchesTheDefinition() {
        double[] logits = {2.0, 0.5, -1.0, 0.0, 0.0, 3.0};
        try (NDArray x = Tensors.fromDoubles(manager, logits, new Shape(2, 3), DataType.FLOAT64);
             NDArray y = Tensors.fromLongs(manager, new long[] {0, 2}, new Shape(2));
             NDArray plain = CrossEntropy.plain().loss(x, y); NDArray smooth = new CrossEntropy(0.1).loss(x, y)) {
            double lse0 = Math.log(Math.exp(2) + Math.exp(0.5) + Math.exp(-1));
            double lse1 = Math.log(2 + Math.exp(3));
            double[] lp0 = {2 - lse0, 0.5 - lse0, -1 - lse0};
            double[] lp1 = {-lse1, -lse1, 3 - lse1};
            assertEquals(-(lp0[0] + lp1[2]) / 2, plain.getDouble(), 1e-12);
            double s0 = 0.9 * lp0[0] + 0.1 / 3 * (lp0[0] + lp0[1] + lp0[2]);
            double s1 = 0.9 * lp1[2] + 0.1 / 3 * (lp1[0] + lp1[1] + lp1[2]);
            assertEquals(-(s0 + s1) / 2, smooth.getDouble(), 1e-12);
            assertEquals(2, CrossEntropy.correct(x, y));
            // soft targets equal to the smoothed one-hot rows give the smoothed loss
            double[] soft = {0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.9 + 0.1 / 3};
            try (NDArray t = Tensors.fromDoubles(manager, soft, new Shape(2, 3), DataType.FLOAT64);
                 NDArray viaSoft = CrossEntropy.softLoss(x, t)) {
                assertEquals(smooth.getDouble(), viaSoft.getDouble(), 1e-12);
            }
        }
    }

    /**
     * An update holds only its state between steps: after the first step (which creates the moments or the momentum
     * buffers) further steps leave no array behind in the parameters' manager. One intermediate left per parameter
     * per step grew a T-RevSNN trajectory run by 0.5 GB a step until the OOM killer stopped it.
     */
    @Test
    void stepsLeaveNoArraysBehind() {
        for (java.util.function.Supplier<Optimizer> kind : List.<java.util.function.Supplier<Optimizer>>of(
                () -> new Sgd(0.9, 0.1), () -> new Sgd(0, 0), () -> Adam.adamW(0.01), Adam::adam,
                () -> Lamb.timm(0.01))) {
            try (NDManager own = manager.newSubManager(); TinyParameters t = new TinyParameters(own, DataType.FLOAT64, 3, 2, 7);
                 Optimizer o = kind.get()) {
                t.step(o, 0, 0.1);
                int after = own.getManagedArrays().size();
                for (int k = 1; k <= 5; k++) {
                    t.step(o, k, 0.1);
                }
                assertEquals(after, own.getManagedArrays().size(), o.getClass().getSimpleName()
                        + " left arrays behind over 5 steps");
            }
        }
    }
}
