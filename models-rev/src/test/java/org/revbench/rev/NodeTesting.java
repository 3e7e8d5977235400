package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.engine.Tensors;
import org.revbench.core.reference.ReferenceArrays;

/** Helpers shared by the node's tests. */
final class NodeTesting {

    private NodeTesting() {}

    static NDArray gaussian(NDManager m, long seed, double mean, double std, DataType dtype, long... shape) {
        double[] v = ReferenceArrays.gaussian(seed, Math.toIntExact(new Shape(shape).size()), mean, std);
        return Tensors.fromDoubles(m, v, new Shape(shape), dtype);
    }

    /** torch.allclose(actual, expected, rtol, atol): {@code |a - e| <= atol + rtol |e|} everywhere. */
    static boolean allClose(double[] actual, double[] expected, double rtol, double atol) {
        if (actual.length != expected.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
                return false;
            }
        }
        return true;
    }

    static double maxAbsDiff(double[] a, double[] b) {
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

    /** Largest difference relative to the largest magnitude of {@code reference}. */
    static double relDiff(double[] actual, double[] reference) {
        double s = maxAbs(reference);
        double d = maxAbsDiff(actual, reference);
        return s == 0 ? d : d / s;
    }

    /** {@code a} from step 1 on equals {@code b} up to step T-2, with zeros first: the potentials shifted by one step. */
    static double[] shiftedWithZeros(double[] potentials, int perStep) {
        double[] out = new double[potentials.length];
        System.arraycopy(potentials, 0, out, perStep, potentials.length - perStep);
        return out;
    }
}
