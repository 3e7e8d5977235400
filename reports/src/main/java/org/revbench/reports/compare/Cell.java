package org.revbench.reports.compare;

import org.revbench.reports.reference.ColumnPolicy;
import org.revbench.reports.reference.ReferenceValue;

/**
 * One cell of a results table: the paper's value, ours in the paper's unit, the scale that made ours, and what
 * the comparison says.
 *
 * @param column  the column's policy
 * @param paper   the paper's value, or null where it prints none
 * @param ours    ours, or null where we have none
 * @param value   ours in the paper's unit (NaN without ours)
 * @param status  the comparison's verdict
 * @param reason  why, for not run and not comparable (null otherwise)
 */
public record Cell(ColumnPolicy column, ReferenceValue paper, Ours ours, double value, CellStatus status, String reason) {

    /** ours / paper, or NaN when either is missing or the paper's is zero. */
    public double ratio() {
        return paper == null || ours == null || paper.value() == 0 ? Double.NaN : value / paper.value();
    }

    /** ours - paper, or NaN. */
    public double difference() {
        return paper == null || ours == null ? Double.NaN : value - paper.value();
    }
}
