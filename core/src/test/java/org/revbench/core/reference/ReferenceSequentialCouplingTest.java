package org.revbench.core.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ReferenceSequentialCouplingTest {

    @Test
    void spikingConvBnMatchesPlainLoops() {
        int t = 2, b = 2, c = 3, o = 4, h = 5, w = 5;
        ReferenceSpikingConvBn f = ReferenceSpikingConvBn.random(5, c, o);
        double[] xv = ReferenceArrays.gaussian(6, t * b * c * h * w, 0.5, 1.0);
        INDArray y = f.apply(ReferenceArrays.fromDoubles(xv, t, b, c, h, w));
        assertArrayEquals(new long[] {t, b, o, h, w}, y.shape());

        double[] spikes = PlainLoops.neuron(xv, t, b * c * h * w, 0.0, 1.0)[0];
        double[] conv = PlainLoops.conv2d(spikes, t * b, c, h, w, f.weightValues(), o, 3, 3, null, 1, 1);
        double[] want = PlainLoops.batchNorm(conv, t * b, o, h * w, f.gammaValues(), f.betaValues(), 1e-5);
        assertArrayEquals(want, ReferenceArrays.toDoubles(y), 1e-12);
        // deterministic, fresh neuron state each call
        assertEquals(0.0, ReferenceArrays.maxAbsDiff(y, f.apply(ReferenceArrays.fromDoubles(xv, t, b, c, h, w))));
    }

    @Test
    void factoryFromPlainArraysKeepsValues() {
        double[] wv = ReferenceArrays.gaussian(1, 2 * 2 * 9, 0.0, 0.3);
        long[] shape = {2, 2, 3, 3};
        ReferenceSpikingConvBn f = ReferenceSpikingConvBn.of(wv, shape, new double[] {1.0, 2.0}, new double[] {0.5, -0.5});
        assertArrayEquals(wv, f.weightValues(), 0.0);
        assertArrayEquals(shape, f.weightShape());
        assertArrayEquals(new double[] {1.0, 2.0}, f.gammaValues(), 0.0);
        assertArrayEquals(new double[] {0.5, -0.5}, f.betaValues(), 0.0);
        wv[0] = 99; // the reference copies its inputs
        assertTrue(f.weightValues()[0] != 99);
    }

    @Test
    void inverseRecoversInput() {
        long t = 2, b = 2, c = 8, h = 6, w = 6;
        ReferenceSequentialCoupling block = new ReferenceSequentialCoupling(
                ReferenceSpikingConvBn.random(100, 4, 4), ReferenceSpikingConvBn.random(200, 4, 4));
        for (long seed : new long[] {1, 2, 3}) {
            INDArray x = ReferenceArrays.gaussian(seed, 0.5, 1.0, t, b, c, h, w);
            INDArray y = block.forward(x);
            assertArrayEquals(x.shape(), y.shape());
            assertTrue(ReferenceArrays.maxAbsDiff(x, y) > 0.1, "the block must not be the identity");
            INDArray back = block.inverse(y);
            assertEquals(0.0, ReferenceArrays.maxAbsDiff(x, back), 1e-12, "seed " + seed);
            // and the other way round
            assertEquals(0.0, ReferenceArrays.maxAbsDiff(y, block.forward(block.inverse(y))), 1e-12);
        }
    }

    @Test
    void forwardFollowsTheEquations() {
        long t = 2, b = 1, c = 4, h = 4, w = 4;
        ReferenceSpikingConvBn f = ReferenceSpikingConvBn.random(7, 2, 2);
        ReferenceSpikingConvBn g = ReferenceSpikingConvBn.random(8, 2, 2);
        INDArray x = ReferenceArrays.gaussian(9, 0.5, 1.0, t, b, c, h, w);
        INDArray[] xs = ReferenceSequentialCoupling.splitChannels(x);
        INDArray y1 = xs[0].add(f.apply(xs[1]));
        INDArray y2 = xs[1].add(g.apply(y1));
        INDArray[] ys = ReferenceSequentialCoupling.splitChannels(new ReferenceSequentialCoupling(f, g).forward(x));
        assertEquals(0.0, ReferenceArrays.maxAbsDiff(y1, ys[0]), 0.0);
        assertEquals(0.0, ReferenceArrays.maxAbsDiff(y2, ys[1]), 0.0);
    }
}
