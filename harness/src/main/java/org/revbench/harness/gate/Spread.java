package org.revbench.harness.gate;

import java.util.Arrays;

/**
 * Mean and sample standard deviation (n - 1) of a few values: the seeds of a row, or a metric's history.
 *
 * @param std 0 for a single value: one number says nothing about its spread
 */
record Spread(double mean, double std, int n) {

    static Spread of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Spread(Double.NaN, Double.NaN, 0);
        }
        double mean = Arrays.stream(values).sum() / n;
        if (n == 1) {
            return new Spread(mean, 0, 1);
        }
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return new Spread(mean, Math.sqrt(squares / (n - 1)), n);
    }

    /** {@code mean +- std (n=N)}, as the report prints it. */
    String describe() {
        return Numbers.format(mean) + " +- " + Numbers.format(std) + " (n=" + n + ")";
    }
}
