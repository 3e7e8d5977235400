package org.revbench.reports.compare;

import java.util.List;
import java.util.Locale;
import org.revbench.reports.reference.Claim;

/**
 * A paper's claim beside ours.
 *
 * @param claim      the claim
 * @param paperRatio the ratio of the paper's two cells, or the one it states (see {@link Claim#basis()})
 * @param oursRatio  the same ratio of ours (NaN when either side is missing)
 * @param scale      the scale that made ours (both sides at the same one), or null
 * @param detail     ours numerator / denominator with units, or the reason ours is missing
 * @param status     two-sided: reproduced (within 5 % of the paper's ratio either way), within tolerance (within
 *                   15 %), holds stronger than the paper (further in the claim's direction), differs (further
 *                   against it), or not run
 * @param checks     the self-checks of the claim's method at its setting (the paper's audit rows it names)
 */
public record ClaimResult(Claim claim, double paperRatio, double oursRatio, String scale, String detail, CellStatus status,
                          boolean lowerIsBetter, List<AuditCheck.Result> checks) {

    /** Whether ours meets the claim's target bound (null when there is no target or no ours). */
    public Boolean targetMet() {
        if (claim.target() == null || Double.isNaN(oursRatio)) {
            return null;
        }
        return claim.meets(oursRatio, lowerIsBetter);
    }

    /**
     * How far ours lies from the paper's ratio in the claim's direction, as a factor: below 1 ours is stronger
     * (e.g. 0.5: ours' ratio improves twice as much), above 1 weaker; NaN without ours.
     */
    public double strengthFactor() {
        return lowerIsBetter ? oursRatio / paperRatio : paperRatio / oursRatio;
    }

    /** The direction, in words: "stronger", "weaker" or "as the paper" (within 0.5 %); null without ours. */
    public String direction() {
        double f = strengthFactor();
        if (Double.isNaN(f)) {
            return null;
        }
        return Math.abs(f - 1) <= 0.005 ? "as the paper" : f < 1 ? "stronger" : "weaker";
    }

    /** The magnitude, separate from the direction: "4.2 %" up to a factor of two, "×23.6" beyond; null without ours. */
    public String magnitude() {
        double f = strengthFactor();
        if (Double.isNaN(f)) {
            return null;
        }
        double factor = f < 1 ? 1 / f : f;
        return factor <= 2 ? String.format(Locale.ROOT, "%.1f %%", (factor - 1) * 100)
                : String.format(Locale.ROOT, "×%.3g", factor);
    }

    /** The checks that failed: the method does not do what the claim rests on at this setting. */
    public List<AuditCheck.Result> failedChecks() {
        return checks.stream().filter(c -> c.status() == CellStatus.CHECK_FAILED).toList();
    }
}
