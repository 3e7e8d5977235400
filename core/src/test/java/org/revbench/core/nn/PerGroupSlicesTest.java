package org.revbench.core.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;

/**
 * {@link Conv2d#forwardGroup} and {@link BatchNorm2d#forwardChannels} (used to back-propagate ParaRevSNN's fused
 * module one branch at a time) equal the matching channels of the whole layer, values and parameter gradients,
 * in float64.
 */
class PerGroupSlicesTest extends EngineTestBase {

    private static final int HALF = 3;

    @Test
    void groupsAndChannelSlicesEqualTheWholeLayer() {
        ForwardContext ctx = ForwardContext.train(2).withMode(ForwardContext.Mode.RECOMPUTE);
        Conv2d conv = new Conv2d(2 * HALF, 2 * HALF, 3, 1, 1, 2, true, Initializer.uniformFanIn(27));
        BatchNorm2d bn = new BatchNorm2d(2 * HALF);
        conv.initialize(manager, DataType.FLOAT64, new Random(5));
        bn.initialize(manager, DataType.FLOAT64, new Random(6));
        Random r = new Random(7);
        for (Parameter p : bn.allParameters()) {
            if (p.trainable()) {
                double[] v = new double[(int) p.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = 0.5 + r.nextGaussian();
                }
                p.setValues(v);
            }
        }
        Shape shape = new Shape(2, 3, 2 * HALF, 5, 5);
        double[] xv = new double[(int) shape.size()];
        double[] gv = new double[(int) shape.size()];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = r.nextGaussian();
            gv[i] = r.nextGaussian();
        }
        boolean before = Autograd.setRecording(true);
        try (NDArray x = Tensors.fromDoubles(manager, xv, shape, DataType.FLOAT64);
             NDArray dy = Tensors.fromDoubles(manager, gv, shape, DataType.FLOAT64);
             NDList xs = x.split(2, 2); NDList dys = dy.split(2, 2)) {
            // each layer alone (a bias in front of a BatchNorm would get a zero gradient)
            for (int layer = 0; layer < 2; layer++) {
                Layer l = layer == 0 ? conv : bn;
                double[] whole;
                double[][] wholeGrads;
                try (NDArray y = l.forward(x, ctx)) {
                    Autograd.backward(y, dy);
                    whole = Tensors.toDoubles(y);
                    wholeGrads = grads(l);
                }
                double[] parts = new double[whole.length];
                for (int g = 0; g < 2; g++) {
                    try (NDArray y = layer == 0 ? conv.forwardGroup(xs.get(g), g, ctx) : bn.forwardChannels(xs.get(g), g * HALF, HALF, ctx);
                         NDArray zeros = xs.get(1 - g).zerosLike();
                         NDArray joined = g == 0 ? y.concat(zeros, 2) : zeros.concat(y, 2)) {
                        Autograd.backward(y, dys.get(g));
                        double[] v = Tensors.toDoubles(joined);
                        for (int i = 0; i < v.length; i++) {
                            parts[i] += v[i];
                        }
                    }
                }
                double[][] partGrads = grads(l);
                assertClose(whole, parts, l.getClass().getSimpleName() + " values");
                assertTrue(wholeGrads.length == 2);
                for (int i = 0; i < wholeGrads.length; i++) {
                    assertClose(wholeGrads[i], partGrads[i], l.getClass().getSimpleName() + " gradient " + i);
                }
            }
        } finally {
            Autograd.setRecording(before);
        }
        assertThrows(IllegalStateException.class, () -> bn.forwardChannels(null, 0, HALF, ForwardContext.train(2)));
        assertThrows(IllegalArgumentException.class, () -> conv.forwardGroup(null, 2, ctx));
    }

    /** Trainable parameters' gradients, then zeroed. */
    private static double[][] grads(Layer... layers) {
        java.util.List<double[]> out = new java.util.ArrayList<>();
        for (Layer l : layers) {
            for (Parameter p : l.allParameters()) {
                if (p.trainable()) {
                    try (NDArray g = Autograd.gradient(p.array())) {
                        out.add(Tensors.toDoubles(g));
                    }
                    Autograd.zeroGradient(p.array());
                }
            }
        }
        return out.toArray(new double[0][]);
    }

    private static void assertClose(double[] a, double[] b, String what) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        assertTrue(scale > 0 && diff <= 1e-12 * scale, what + ": differs by " + diff + " at scale " + scale);
    }
}
