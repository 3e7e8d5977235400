package org.revbench.core.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ReferenceConvTest {

    private static final double TOL = 1e-12;

    @Test
    void conv2dMatchesPlainLoops() {
        int n = 2, c = 3, h = 7, w = 6, o = 4;
        double[] xv = ReferenceArrays.gaussian(1, n * c * h * w, 0.0, 1.0);
        INDArray x = ReferenceArrays.fromDoubles(xv, n, c, h, w);
        double[] bias = ReferenceArrays.gaussian(3, o, 0.0, 1.0);
        for (int k : new int[] {3, 1}) {
            double[] wv = ReferenceArrays.gaussian(2 + k, o * c * k * k, 0.0, 1.0);
            INDArray wt = ReferenceArrays.fromDoubles(wv, o, c, k, k);
            for (int stride : new int[] {1, 2}) {
                for (int pad : new int[] {0, 1}) {
                    for (boolean withBias : new boolean[] {false, true}) {
                        INDArray y = ReferenceConv.conv2d(x, wt,
                                withBias ? ReferenceArrays.fromDoubles(bias, o) : null, stride, pad);
                        int oh = (h + 2 * pad - k) / stride + 1;
                        int ow = (w + 2 * pad - k) / stride + 1;
                        String what = "k " + k + " stride " + stride + " pad " + pad + " bias " + withBias;
                        assertArrayEquals(new long[] {n, o, oh, ow}, y.shape(), what);
                        assertEquals(DataType.DOUBLE, y.dataType(), what);
                        double[] want = PlainLoops.conv2d(xv, n, c, h, w, wv, o, k, k,
                                withBias ? bias : null, stride, pad);
                        assertArrayEquals(want, ReferenceArrays.toDoubles(y), TOL, what);
                    }
                }
            }
        }
    }

    @Test
    void batchNormNormalisesPerChannel() {
        int n = 4, c = 3, h = 5, w = 5;
        INDArray x = ReferenceArrays.gaussian(11, 2.0, 3.0, n, c, h, w);
        INDArray ones = ReferenceArrays.fromDoubles(new double[] {1, 1, 1}, c);
        INDArray zeros = ReferenceArrays.zeros(c);
        // eps 0: per-channel mean 0 and biased variance 1 exactly (up to rounding)
        INDArray y = ReferenceConv.batchNormTrain(x, ones, zeros, 0.0);
        INDArray mean = y.mean(0, 2, 3);
        INDArray var = y.var(false, 0, 2, 3);
        for (int ch = 0; ch < c; ch++) {
            assertEquals(0.0, mean.getDouble(ch), 1e-10);
            assertEquals(1.0, var.getDouble(ch), 1e-10);
        }
        // eps 1e-5: variance is var / (var + eps), slightly below 1
        INDArray y5 = ReferenceConv.batchNormTrain(x, ones, zeros);
        INDArray xVar = x.var(false, 0, 2, 3);
        INDArray var5 = y5.var(false, 0, 2, 3);
        for (int ch = 0; ch < c; ch++) {
            double vx = xVar.getDouble(ch);
            assertEquals(vx / (vx + 1e-5), var5.getDouble(ch), 1e-10);
            assertTrue(var5.getDouble(ch) < 1.0);
        }
    }

    @Test
    void batchNormMatchesPlainLoopsWithGammaBeta() {
        int n = 3, c = 4, h = 3, w = 4;
        double[] xv = ReferenceArrays.gaussian(21, n * c * h * w, -1.0, 2.0);
        double[] gamma = ReferenceArrays.gaussian(22, c, 1.0, 0.5);
        double[] beta = ReferenceArrays.gaussian(23, c, 0.0, 0.5);
        INDArray y = ReferenceConv.batchNormTrain(ReferenceArrays.fromDoubles(xv, n, c, h, w),
                ReferenceArrays.fromDoubles(gamma, c), ReferenceArrays.fromDoubles(beta, c), 1e-5);
        assertArrayEquals(PlainLoops.batchNorm(xv, n, c, h * w, gamma, beta, 1e-5), ReferenceArrays.toDoubles(y), TOL);
    }

    @Test
    void foldRunsBatchNormStatisticsOverTimeAndBatch() {
        long t = 3, b = 2, c = 2, h = 3, w = 3;
        INDArray x = ReferenceArrays.gaussian(31, 0.0, 1.0, t, b, c, h, w);
        INDArray gamma = ReferenceArrays.fromDoubles(new double[] {1, 1}, c);
        INDArray beta = ReferenceArrays.zeros(c);
        INDArray y = ReferenceMultiStep.fold(x, z -> ReferenceConv.batchNormTrain(z, gamma, beta, 0.0));
        assertArrayEquals(new long[] {t, b, c, h, w}, y.shape());
        INDArray direct = ReferenceConv.batchNormTrain(x.reshape('c', t * b, c, h, w), gamma, beta, 0.0);
        assertEquals(0.0, ReferenceArrays.maxAbsDiff(direct.reshape('c', t, b, c, h, w), y), 0.0);
        INDArray mean = y.mean(0, 1, 3, 4); // over T, B, H, W together
        INDArray var = y.var(false, 0, 1, 3, 4);
        for (int ch = 0; ch < c; ch++) {
            assertEquals(0.0, mean.getDouble(ch), 1e-10);
            assertEquals(1.0, var.getDouble(ch), 1e-10);
        }
        // per time step the statistics are not normalised (they would be with per-step BN)
        INDArray step0 = y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).mean(0, 2, 3);
        assertTrue(Math.abs(step0.getDouble(0)) > 1e-6 || Math.abs(step0.getDouble(1)) > 1e-6);
        // fold also changes the channel count (conv)
        INDArray wt = ReferenceArrays.gaussian(32, 0.0, 1.0, 5, c, 3, 3);
        INDArray yc = ReferenceMultiStep.fold(x, z -> ReferenceConv.conv2d(z, wt, null, 2, 1));
        assertArrayEquals(new long[] {t, b, 5, 2, 2}, yc.shape());
    }
}
