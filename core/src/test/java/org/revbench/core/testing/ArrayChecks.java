package org.revbench.core.testing;

/**
 * Closeness checks on plain {@code double[]} read back from tensors, shared by the models modules' tests (core's
 * test-jar): {@code torch.allclose}'s rule and the largest absolute and relative differences.
 */
public final class ArrayChecks {

    private ArrayChecks() {}

    /** torch.allclose(actual, expected, rtol, atol): {@code |a - e| <= atol + rtol |e|} everywhere. */
    public static boolean allClose(double[] actual, double[] expected, double rtol, double atol) {
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

    public static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    public static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Largest difference relative to the largest magnitude of {@code reference} (absolute where it is all zero). */
    public static double relDiff(double[] actual, double[] reference) {
        double s = maxAbs(reference);
        double d = maxAbsDiff(actual, reference);
        return s == 0 ? d : d / s;
    }
}
