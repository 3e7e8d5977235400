package org.revbench.reports.compare;

import java.util.Locale;
import java.util.Optional;

/**
 * The invertibility self-check of one audit row: the row's network rebuilds its input from its output in float64,
 * and a reversible method that is exact in exact arithmetic must stay at rounding level there. A check of our own
 * code against a bound, not a comparison with the paper: its verdicts are tallied apart.
 */
public final class AuditCheck {

    /** The metric the check reads. */
    public static final String METRIC = "max_rel_error_float64";

    /** Largest float64 relative reconstruction error that still counts as exact (rounding stays orders below it). */
    public static final double BOUND = 1e-10;

    /** A row's verdict: passed, failed or not run, with the error read (NaN when not run). */
    public record Result(String row, CellStatus status, double maxRelError, String scale) {
        /** e.g. "vgg19-revnode-t8: float64 relative error 2.1e-01 > 1e-10". */
        public String describe() {
            if (status == CellStatus.NOT_RUN) {
                return row + ": not measured";
            }
            return row + ": float64 relative error " + String.format(Locale.ROOT, "%.1e", maxRelError)
                    + (status == CellStatus.CHECK_PASSED ? " ≤ " : " > ") + String.format(Locale.ROOT, "%.0e", BOUND);
        }
    }

    private final ResultIndex index;

    public AuditCheck(ResultIndex index) {
        this.index = index;
    }

    /** The check of one row of the audit spec {@code specId} ({@code paper:table}). */
    public Result check(String specId, String row) {
        Optional<Ours> ours = index.ours(specId, row, METRIC);
        if (ours.isEmpty()) {
            return new Result(row, CellStatus.NOT_RUN, Double.NaN, null);
        }
        // the worst seed decides: one failing reconstruction is a failing method
        double worst = ours.get().max();
        return new Result(row, worst <= BOUND ? CellStatus.CHECK_PASSED : CellStatus.CHECK_FAILED, worst, ours.get().scale());
    }
}
