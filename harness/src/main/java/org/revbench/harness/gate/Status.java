package org.revbench.harness.gate;

/** The outcome of one comparison, as the report prints it. */
public enum Status {
    OK("ok"),
    REGRESSED("REGRESSED"),
    IMPROVED("improved"),
    /**
     * A bound that the baseline already broke, broken no worse now (a known failing check, e.g. the reversible
     * node's float64 reconstruction at T 4): shown in every report, but no regression, since nothing changed.
     */
    FAILS_AS_BEFORE("fails, as in the baseline"),
    /** In the current run only: nothing to compare with yet. Never fails the gate. */
    NEW("new"),
    /** In the baseline only: the current run did not measure it. Fails the gate unless missing keys are allowed. */
    MISSING("missing"),
    /** Too few earlier values for a z-score to mean anything. Never fails the gate. */
    INSUFFICIENT_HISTORY("insufficient history");

    private final String label;

    Status(String label) { this.label = label; }

    /** The word the report prints (regressions in capitals, so they stand out in a long table). */
    public String label() { return label; }

    /**
     * The status for a change that is {@code worsening} in the bad direction (negative: an improvement), judged
     * against {@code threshold}. A NaN worsening (a broken measurement on either side) is a regression: it has to
     * be looked at.
     */
    static Status judge(double worsening, double threshold) {
        if (!(worsening <= threshold)) {
            return REGRESSED;
        }
        return worsening < -threshold ? IMPROVED : OK;
    }
}
