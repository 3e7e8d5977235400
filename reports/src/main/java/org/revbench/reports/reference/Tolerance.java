package org.revbench.reports.reference;

/**
 * How far ours may lie from the paper's value: {@code abs} in the paper's unit, or {@code rel} as a fraction of
 * the paper's value.
 */
public record Tolerance(Double abs, Double rel) {

    public Tolerance {
        if ((abs == null) == (rel == null)) {
            throw new IllegalArgumentException("a tolerance is either abs or rel");
        }
    }

    public static Tolerance abs(double v) { return new Tolerance(v, null); }

    public static Tolerance rel(double v) { return new Tolerance(null, v); }

    /** Whether {@code ours} lies within this tolerance of {@code paper} (both in the paper's unit). */
    public boolean admits(double paper, double ours) {
        double d = Math.abs(ours - paper);
        // a hair of slack so that a printed 11.22 admits 11.225 at abs 0.005 despite binary rounding
        return abs != null ? d <= abs + 1e-9 : d <= rel * Math.abs(paper) + 1e-12;
    }

    @Override
    public String toString() {
        return abs != null ? "±" + abs : "±" + (rel * 100) + " %";
    }
}
