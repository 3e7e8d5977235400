package org.revbench.core.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The oracle of the reversible node paper's node: its equations by plain loops, and its own inverse. */
class ReferenceReversibleNodeTest {

    static final ReferenceReversibleNode.Params P = new ReferenceReversibleNode.Params(2.0, 1.0, 0.0, 0.15, 1.0, 2);

    @Test
    void forwardFollowsEquations3To8ForTwoGroups() {
        int t = 3, r = 2, l = 4, w = 2;
        double[] xv = ReferenceArrays.gaussian(11, t * r * l, 0.8, 1.0);
        ReferenceReversibleNode.Forward f = ReferenceReversibleNode.forward(ReferenceArrays.fromDoubles(xv, t, r, l), P);
        double[] y = ReferenceArrays.toDoubles(f.outputs());
        double[] v = ReferenceArrays.toDoubles(f.potentials());
        double k = 1 / P.tau();
        double[] prev = new double[r * l];
        for (int s = 0; s < t; s++) {
            double[] cur = new double[r * l];
            for (int row = 0; row < r; row++) {
                for (int j = 0; j < w; j++) {
                    int a = row * l + j;          // group 1 (paper's X1 / V1)
                    int b = row * l + w + j;      // group 2
                    double x1 = xv[s * r * l + a], x2 = xv[s * r * l + b];
                    double m1 = prev[a] + (x1 - prev[a]) * k;                       // Eq. 3
                    double y1 = (m1 - P.vth() >= 0 ? 1 : 0) + P.beta() * x2;        // Eq. 4
                    double v1 = (1 - y1) * m1 + y1 * P.vres() + P.alpha() * prev[a]; // Eq. 5
                    double m2 = prev[b] + (y1 - prev[b]) * k;                       // Eq. 6
                    double y2 = (m2 - P.vth() >= 0 ? 1 : 0) + P.beta() * x1;        // Eq. 7
                    double v2 = (1 - y2) * m2 + y2 * P.vres() + P.alpha() * prev[b]; // Eq. 8
                    assertEquals(y1, y[s * r * l + a], 1e-14);
                    assertEquals(y2, y[s * r * l + b], 1e-14);
                    assertEquals(v1, v[s * r * l + a], 1e-14);
                    assertEquals(v2, v[s * r * l + b], 1e-14);
                    cur[a] = v1;
                    cur[b] = v2;
                }
            }
            prev = cur;
        }
    }

    @Test
    void inverseReconstructsInputsAndPotentialsWithThePapersTolerance() {
        for (int groups : new int[] {2, 3, 4, 12}) {
            ReferenceReversibleNode.Params p = new ReferenceReversibleNode.Params(2.0, 1.0, 0.0, 0.15, 1.0, groups);
            long t = 4, b = 3, c = 2, l = 12;
            INDArray x = ReferenceArrays.gaussian(100 + groups, 0.6, 1.0, t, b, c, l);
            ReferenceReversibleNode.Forward f = ReferenceReversibleNode.forward(x, p);
            ReferenceReversibleNode.Inverse inv = ReferenceReversibleNode.inverse(f.outputs(),
                    ReferenceReversibleNode.lastStep(f.potentials()), p);
            assertTrue(allClose(inv.inputs(), x), "groups " + groups + ": X, max diff " + ReferenceArrays.maxAbsDiff(inv.inputs(), x));
            double[] prev = ReferenceArrays.toDoubles(inv.previousPotentials());
            double[] pot = ReferenceArrays.toDoubles(f.potentials());
            int step = (int) (b * c * l);
            for (int i = 0; i < prev.length; i++) {
                double want = i < step ? 0.0 : pot[i - step];
                assertTrue(Math.abs(prev[i] - want) <= 1e-10 + 1e-6 * Math.abs(want), "groups " + groups + ": V at " + i);
            }
        }
    }

    /** torch.allclose(a, b, rtol = 1e-6, atol = 1e-10), the paper's check. */
    static boolean allClose(INDArray a, INDArray b) {
        double[] x = ReferenceArrays.toDoubles(a);
        double[] y = ReferenceArrays.toDoubles(b);
        for (int i = 0; i < x.length; i++) {
            if (!(Math.abs(x[i] - y[i]) <= 1e-10 + 1e-6 * Math.abs(y[i]))) {
                return false;
            }
        }
        return x.length == y.length;
    }
}
