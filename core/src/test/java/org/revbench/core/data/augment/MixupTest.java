package org.revbench.core.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixupTest {

    static final int K = 10;

    static void assertRowsSumToOne(float[] targets, int batch) {
        for (int i = 0; i < batch; i++) {
            double s = 0;
            for (int k = 0; k < K; k++) {
                assertTrue(targets[i * K + k] >= 0);
                s += targets[i * K + k];
            }
            assertEquals(1, s, 1e-5, "row " + i);
        }
    }

    @Test
    void mixesWithTheReversedBatchAndTheTargetsAlike() {
        Mixup mixup = Mixup.paper(K);
        int t = 2;
        int b = 5;
        int inner = 3;
        float[] x = new float[t * b * inner];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        long[] labels = {0, 3, 3, 7, 9};
        int mixed = 0;
        for (long seed = 0; seed < 50; seed++) {
            float[] y = x.clone();
            Mixup.Result r = mixup.apply(y, t, b, inner, labels, 0, new SplittableRandom(seed));
            assertRowsSumToOne(r.targets(), b);
            double lam = r.lambda();
            assertTrue(lam > 0 && lam <= 1);
            if (lam == 1) {
                assertArrayEquals(x, y);
                continue;
            }
            mixed++;
            for (int o = 0; o < t; o++) {
                for (int i = 0; i < b; i++) {
                    for (int k = 0; k < inner; k++) {
                        float xi = x[(o * b + i) * inner + k];
                        float xj = x[(o * b + b - 1 - i) * inner + k];
                        assertEquals(lam * xi + (1 - lam) * xj, y[(o * b + i) * inner + k], 1e-4);
                    }
                }
            }
            // sample 0 (class 0) mixed with sample 4 (class 9)
            assertEquals(lam * 0.91 + (1 - lam) * 0.01, r.targets()[0], 1e-6);
            assertEquals(lam * 0.01 + (1 - lam) * 0.91, r.targets()[9], 1e-6);
            assertEquals(0.01, r.targets()[5], 1e-6);
        }
        assertTrue(mixed > 10 && mixed < 40, "mixed " + mixed + " of 50");
    }

    @Test
    void offItKeepsSmoothedTargetsAndMixesNothing() {
        Mixup mixup = Mixup.paper(K);
        long[] labels = {2, 5};
        float[] x = {1, 2, 3, 4};
        for (long seed = 0; seed < 20; seed++) {
            float[] y = x.clone();
            Mixup.Result r = mixup.apply(y, 1, 2, 2, labels, Mixup.PAPER_OFF_EPOCH, new SplittableRandom(seed));
            assertEquals(1, r.lambda());
            assertArrayEquals(x, y);
            assertEquals(0.91f, r.targets()[2], 1e-6);
            assertEquals(0.01f, r.targets()[3], 1e-6);
            assertEquals(0.91f, r.targets()[K + 5], 1e-6);
            assertRowsSumToOne(r.targets(), 2);
        }
        assertTrue(mixup.activeIn(Mixup.PAPER_OFF_EPOCH - 1));
        assertFalse(mixup.activeIn(Mixup.PAPER_OFF_EPOCH));
        mixup.setEnabled(false);
        assertFalse(mixup.activeIn(0));
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(1, mixup.apply(x.clone(), 1, 2, 2, labels, 0, new SplittableRandom(seed)).lambda());
        }
    }

    @Test
    void repeatsForASeedAndDrawsBetaHalfHalf() {
        Mixup mixup = new Mixup(0.5, 1.0, 0.1, K, Integer.MAX_VALUE);
        long[] labels = {1, 2, 3, 4};
        float[] x = new float[4 * 6];
        Mixup.Result a = mixup.apply(x.clone(), 1, 4, 6, labels, 3, new SplittableRandom(9));
        Mixup.Result b = mixup.apply(x.clone(), 1, 4, 6, labels, 3, new SplittableRandom(9));
        assertEquals(a.lambda(), b.lambda());
        assertArrayEquals(a.targets(), b.targets());
        // Beta(0.5, 0.5): mean 1/2, variance 1/8, symmetric U shape
        SplittableRandom r = new SplittableRandom(4);
        int n = 40_000;
        double sum = 0;
        double sq = 0;
        int edges = 0;
        for (int i = 0; i < n; i++) {
            double v = Mixup.beta(0.5, 0.5, r);
            assertTrue(v >= 0 && v <= 1);
            sum += v;
            sq += v * v;
            edges += v < 0.1 || v > 0.9 ? 1 : 0;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        assertEquals(0.5, mean, 0.01);
        assertEquals(0.125, var, 0.005);
        // P(v < 0.1 or v > 0.9) = (4/pi) asin(sqrt(0.1)) = 0.4097
        assertEquals(0.4097, edges / (double) n, 0.015);
    }
}
