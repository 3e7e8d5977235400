package org.revbench.reports.compare;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a report cell, a claim or a check says. Three families, never mixed in one tally: comparisons of a
 * measurement of ours with a number the paper printed (the only ones the index counts as reproduced or not), cells
 * that compare nothing (our own configuration, ours where the paper prints nothing, not comparable, not run), and
 * self-checks of our own code (invertibility), which pass or fail against a bound rather than against the paper.
 */
public enum CellStatus {
    /** ours equals the paper's value within the column's "reproduced" tolerance; for a claim, ours within 5 % of its ratio */
    REPRODUCED("reproduced"),
    /** further off either way, but within the column's "within" tolerance */
    WITHIN_TOLERANCE("within tolerance"),
    /** a claim that holds by more than the paper says: ours beyond tolerance in the claim's own direction */
    STRONGER("holds, stronger than the paper"),
    /** comparable, and further off than the tolerance (for a claim: against the claim's direction) */
    DIFFERS("differs"),
    /** ours exists but measures something else (another scale, precision or hardware): the reason says what */
    NOT_COMPARABLE("not comparable"),
    /** no measurement of ours: the reason says why */
    NOT_RUN("not run"),
    /** ours, where the paper prints nothing */
    OURS_ONLY("ours only"),
    /** a cell that repeats our own configuration (the spec's T): shown, never counted as reproduced */
    CONFIGURATION("configuration"),
    /** a self-check of ours (e.g. float64 reconstruction within its bound) that passed */
    CHECK_PASSED("check passed"),
    /** a self-check of ours that failed its bound */
    CHECK_FAILED("check failed");

    /** Comparisons of ours with a number the paper printed: what "reproduced" tallies are made of. */
    public static final Set<CellStatus> COMPARISONS = EnumSet.of(REPRODUCED, WITHIN_TOLERANCE, STRONGER, DIFFERS);

    /** Self-checks, tallied apart from comparisons. */
    public static final Set<CellStatus> CHECKS = EnumSet.of(CHECK_PASSED, CHECK_FAILED);

    private final String label;

    CellStatus(String label) {
        this.label = label;
    }

    public String label() { return label; }

    /** Whether this is a comparison with a number the paper printed. */
    public boolean isComparison() { return COMPARISONS.contains(this); }

    /** The CSS role the report styles this status with. */
    public String role() { return "st-" + name().toLowerCase().replace('_', '-'); }
}
