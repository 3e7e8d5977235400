package org.revbench.core.reversible;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.Segment;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.neuron.Surrogates;
import org.revbench.core.nn.Dropout;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Parameter;
import org.revbench.core.nn.SpikingLayers;

/**
 * The sequential coupling with spiking conv-BN F and G inside a reversible stage: exact reconstruction, and a
 * memory-saving backward that equals plain end-to-end autograd.
 */
class ReversibleStageTest extends EngineTestBase {


    static final int T = 2;
    static final int B = 2;
    static final int C = 8;
    static final int H = 6;

    static ReversibleStage stage(NDManager m, DataType dtype, int blocks, long seed) {
        return stage(m, dtype, blocks, seed, 0);
    }

    static ReversibleStage stage(NDManager m, DataType dtype, int blocks, long seed, double dropout) {
        NeuronSpec neuron = NeuronSpec.integrateAndFire(Surrogates.atan(2));
        List<Coupling> list = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            list.add(new SequentialCoupling(SpikingLayers.spikeConvBn(neuron, C / 2, C / 2, 3, 1).add("drop", new Dropout(dropout)),
                    SpikingLayers.spikeConvBn(neuron, C / 2, C / 2, 3, 1).add("drop", new Dropout(dropout))));
        }
        ReversibleStage s = new ReversibleStage(list, seed);
        s.assignPaths("stage");
        s.initialize(m, dtype, new Random(seed));
        // non-trivial BN affine parameters, so that F and G are far from the identity
        Random r = new Random(seed + 1);
        for (Parameter p : s.allParameters()) {
            if (p.name().equals("gamma") || p.name().equals("beta")) {
                double[] v = new double[(int) p.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (p.name().equals("gamma") ? 1.5 : 0.3) + 0.3 * r.nextGaussian();
                }
                p.setValues(v);
            }
        }
        return s;
    }

    static NDArray input(NDManager m, DataType dtype, long seed) {
        Random r = new Random(seed);
        double[] v = new double[T * B * C * H * H];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1.5 * r.nextGaussian();
        }
        return Tensors.fromDoubles(m, v, new Shape(T, B, C, H, H), dtype);
    }

    static double maxAbs(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void reconstructsItsInputInFloat64AndFloat32() {
        for (DataType dtype : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            try (NDManager m = manager.newSubManager(); ReversibleStage s = stage(m, dtype, 3, 7);
                 NDArray x = input(m, dtype, 11)) {
                ForwardContext ctx = ForwardContext.train(T);
                double[] xs = Tensors.toDoubles(x);
                double[] rec;
                double[] ys;
                try (NDArray y = Autograd.withRecording(false, () -> s.forward(x, ctx));
                     NDArray back = Autograd.withRecording(false, () -> s.inverse(y, ctx))) {
                    ys = Tensors.toDoubles(y);
                    rec = Tensors.toDoubles(back);
                }
                double err = maxAbs(xs, rec);
                assertTrue(maxAbs(xs, ys) > 1.0, "the stage must not be near the identity");
                if (dtype == DataType.FLOAT64) {
                    assertTrue(err <= 1e-10, "float64 reconstruction error " + err);
                } else {
                    double rel = err / maxAbs(xs);
                    assertTrue(rel <= 1e-4, "float32 relative reconstruction error " + rel);
                }
            }
        }
    }

    /** Loss = sum(y * w) for a fixed random w: its output gradient is w. */
    static double[][] gradients(ReversibleStage s, NDArray x, NDArray w, boolean memorySaving) {
        s.setMemorySaving(memorySaving);
        for (Parameter p : s.allParameters()) {
            if (p.trainable()) {
                Autograd.zeroGradient(p.array());
            }
        }
        boolean before = Autograd.setRecording(true);
        // a trace may overwrite its output gradient in place (Segment.Trace#backward), so it gets its own copy of w
        try (Segment.Trace trace = s.forwardTrain(x, true, ForwardContext.train(T)); NDArray dy = w.duplicate()) {
            NDArray dx = trace.backward(trace.output(), dy);
            List<double[]> out = new ArrayList<>();
            out.add(Tensors.toDoubles(dx));
            dx.close();
            for (Parameter p : s.allParameters()) {
                if (p.trainable()) {
                    try (NDArray g = Autograd.gradient(p.array())) {
                        out.add(Tensors.toDoubles(g));
                    }
                } else {
                    out.add(Tensors.toDoubles(p.array())); // running statistics
                }
            }
            return out.toArray(new double[0][]);
        } finally {
            Autograd.setRecording(before);
        }
    }

    @Test
    void memorySavingBackwardEqualsPlainAutogradInFloat64() {
        try (NDManager m = manager.newSubManager(); NDArray x = input(m, DataType.FLOAT64, 3); NDArray w = input(m, DataType.FLOAT64, 4)) {
            double[][] saving;
            double[][] plain;
            try (ReversibleStage s = stage(m, DataType.FLOAT64, 3, 5)) {
                saving = gradients(s, x, w, true);
            }
            try (ReversibleStage s = stage(m, DataType.FLOAT64, 3, 5)) {
                plain = gradients(s, x, w, false);
            }
            assertEquals(plain.length, saving.length);
            int nonZero = 0;
            for (int i = 0; i < plain.length; i++) {
                double scale = Math.max(maxAbs(plain[i]), 1e-30);
                double rel = maxAbs(plain[i], saving[i]) / scale;
                assertTrue(rel <= 1e-9, "tensor " + i + " differs by " + rel + " relative");
                if (maxAbs(plain[i]) > 0) {
                    nonZero++;
                }
            }
            assertTrue(nonZero > plain.length / 2, "gradients must reach most parameters");
        }
    }

    @Test
    void randomOperationsAreReplayedInTheRecompute() {
        try (NDManager m = manager.newSubManager(); NDArray x = input(m, DataType.FLOAT64, 3); NDArray w = input(m, DataType.FLOAT64, 4)) {
            double[][] saving;
            double[][] plain;
            try (ReversibleStage s = stage(m, DataType.FLOAT64, 2, 5, 0.3)) {
                saving = gradients(s, x, w, true);
                // dropout is active: a training forward differs from an evaluation forward on the same weights
                try (NDArray yt = Autograd.withRecording(false, () -> s.forward(x, ForwardContext.train(T)));
                     NDArray ye = Autograd.withRecording(false, () -> s.forward(x, ForwardContext.train(T).withMode(ForwardContext.Mode.RECOMPUTE)))) {
                    assertTrue(maxAbs(Tensors.toDoubles(yt), Tensors.toDoubles(ye)) > 1e-3, "two unseeded dropout draws must differ");
                }
            }
            try (ReversibleStage s = stage(m, DataType.FLOAT64, 2, 5, 0.3)) {
                plain = gradients(s, x, w, false);
            }
            for (int i = 0; i < plain.length; i++) {
                double rel = maxAbs(plain[i], saving[i]) / Math.max(maxAbs(plain[i]), 1e-30);
                assertTrue(rel <= 1e-9, "with dropout, tensor " + i + " differs by " + rel + " relative");
            }
        }
    }

    @Test
    void runningStatisticsUpdateOncePerStepInBothModes() {
        // checked through the buffers compared in the gradient test; here: they moved away from their init
        try (NDManager m = manager.newSubManager(); NDArray x = input(m, DataType.FLOAT64, 3); NDArray w = input(m, DataType.FLOAT64, 4);
             ReversibleStage s = stage(m, DataType.FLOAT64, 1, 5)) {
            gradients(s, x, w, true);
            Parameter mean = s.allParameters().stream().filter(p -> p.name().equals("running_mean")).findFirst().orElseThrow();
            double[] after = Tensors.toDoubles(mean.array());
            // one update with PyTorch momentum 0.1 from 0: running_mean = 0.1 * batch_mean
            try (NDManager m2 = manager.newSubManager(); ReversibleStage fresh = stage(m2, DataType.FLOAT64, 1, 5)) {
                fresh.setMemorySaving(false);
                gradients(fresh, x, w, false);
                Parameter mean2 = fresh.allParameters().stream().filter(p -> p.name().equals("running_mean")).findFirst().orElseThrow();
                assertArrayEquals(Tensors.toDoubles(mean2.array()), after, 1e-12);
            }
        }
    }

    /**
     * A network that runs one time step at a time (T-RevSNN's sub-networks) hands a stage {@code [B, C, H, W]}: the
     * couplings split channel axis 1 there, and the stage still reconstructs and back-propagates as plain autograd.
     */
    @Test
    void oneTimeStepsFourAxisInputSplitsItsChannelAxis() {
        try (NDManager m = manager.newSubManager()) {
            Shape shape = new Shape(B, C, H, H);
            Random r = new Random(21);
            double[] xv = new double[(int) shape.size()];
            double[] wv = new double[xv.length];
            for (int i = 0; i < xv.length; i++) {
                xv[i] = 1.5 * r.nextGaussian();
                wv[i] = r.nextGaussian();
            }
            try (NDArray x = Tensors.fromDoubles(m, xv, shape, DataType.FLOAT64);
                 NDArray w = Tensors.fromDoubles(m, wv, shape, DataType.FLOAT64)) {
                double[][] saving;
                double[][] plain;
                try (ReversibleStage s = stepStage(m, 5)) {
                    ForwardContext ctx = ForwardContext.train(1);
                    try (NDArray y = Autograd.withRecording(false, () -> s.forward(x, ctx));
                         NDArray back = Autograd.withRecording(false, () -> s.inverse(y, ctx))) {
                        assertArrayEquals(shape.getShape(), y.getShape().getShape());
                        assertTrue(maxAbs(xv, Tensors.toDoubles(y)) > 1.0, "the stage must not be near the identity");
                        double err = maxAbs(xv, Tensors.toDoubles(back));
                        assertTrue(err <= 1e-10, "float64 reconstruction error " + err);
                    }
                }
                try (ReversibleStage s = stepStage(m, 5)) { // fresh running statistics
                    saving = gradients(s, x, w, true);
                }
                try (ReversibleStage s = stepStage(m, 5)) {
                    plain = gradients(s, x, w, false);
                }
                for (int i = 0; i < plain.length; i++) {
                    double rel = maxAbs(plain[i], saving[i]) / Math.max(maxAbs(plain[i]), 1e-30);
                    assertTrue(rel <= 1e-9, "tensor " + i + " differs by " + rel + " relative");
                }
            }
        }
    }

    /** Two couplings of conv-BN functions on one step's {@code [B, C, H, W]} (no neuron: a neuron's state runs over T). */
    private static ReversibleStage stepStage(NDManager m, long seed) {
        List<Coupling> list = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            list.add(new SequentialCoupling(SpikingLayers.convBn(C / 2, C / 2, 3, 1), SpikingLayers.convBn(C / 2, C / 2, 3, 1)));
        }
        ReversibleStage s = new ReversibleStage(list, seed);
        s.assignPaths("step");
        s.initialize(m, DataType.FLOAT64, new Random(seed));
        return s;
    }
}
