package org.revbench.harness.bench;

import java.util.Arrays;

/** The median every timing of the harness reports: the middle value, or the mean of the two middle ones. */
public final class Median {

    private Median() {}

    /** The median of {@code values} (left unchanged; sorted or not); NaN for none. */
    public static double of(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
