package org.revbench.reports.compare;

import org.revbench.reports.reference.Claim;

/**
 * A paper's claim beside ours.
 *
 * @param claim      the claim
 * @param paperRatio the ratio of the paper's two cells
 * @param oursRatio  the same ratio of ours (NaN when either side is missing)
 * @param scale      the scale that made ours (both sides at the same one), or null
 * @param detail     ours numerator / denominator with units, or the reason ours is missing
 * @param status     reproduced (as good as the paper's or better, within a few percent), within tolerance,
 *                   differs, or not run
 */
public record ClaimResult(Claim claim, double paperRatio, double oursRatio, String scale, String detail, CellStatus status,
                          boolean lowerIsBetter) {

    /** Whether ours meets the claim's target bound (null when there is no target or no ours). */
    public Boolean targetMet() {
        if (claim.target() == null || Double.isNaN(oursRatio)) {
            return null;
        }
        return claim.meets(oursRatio, lowerIsBetter);
    }
}
