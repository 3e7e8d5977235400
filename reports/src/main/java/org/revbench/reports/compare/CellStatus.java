package org.revbench.reports.compare;

/** What a report cell says of ours against the paper's value. */
public enum CellStatus {
    /** ours equals the paper's value within the column's "reproduced" tolerance (or a claim holds as well or better) */
    REPRODUCED("reproduced"),
    /** further off, but within the column's "within" tolerance */
    WITHIN_TOLERANCE("within tolerance"),
    /** comparable, and further off than the tolerance */
    DIFFERS("differs"),
    /** ours exists but measures something else (another scale, other hardware): the reason says what */
    NOT_COMPARABLE("not comparable"),
    /** no measurement of ours: the reason says why */
    NOT_RUN("not run"),
    /** ours, where the paper prints nothing */
    OURS_ONLY("ours only");

    private final String label;

    CellStatus(String label) {
        this.label = label;
    }

    public String label() { return label; }

    /** The CSS role the report styles this status with. */
    public String role() { return "st-" + name().toLowerCase().replace('_', '-'); }
}
