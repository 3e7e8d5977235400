package org.revbench.reports.compare;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.reports.reference.Claim;
import org.revbench.reports.reference.ColumnPolicy;
import org.revbench.reports.reference.PaperReference;
import org.revbench.reports.reference.ReferenceValue;

/**
 * Sets a paper's claim (a ratio of two of its cells) beside the same ratio of ours. Ratios are what survives a
 * change of hardware and scale, so a claim is judged on them, two-sided: reproduced when ours lies within
 * {@link #REPRODUCED} of the paper's ratio either way, within tolerance within {@link #WITHIN}; beyond that, "holds,
 * stronger than the paper" when ours lies further in the claim's direction, and "differs" when against it. A ratio far
 * better than the paper's is a finding to explain, not a reproduction.
 */
public final class ClaimComparator {

    /** relative slack of a reproduced claim */
    public static final double REPRODUCED = 0.05;
    /** relative slack of a claim within tolerance */
    public static final double WITHIN = 0.15;

    private final CellComparator cells;
    private final AuditCheck audit;

    /** @param audit the self-checks a claim may name, or null where the paper has no audit */
    public ClaimComparator(CellComparator cells, AuditCheck audit) {
        this.cells = cells;
        this.audit = audit;
    }

    public ClaimComparator(CellComparator cells) {
        this(cells, null);
    }

    public ClaimResult compare(PaperReference ref, ExperimentSpec spec, Claim claim) {
        String numeratorRow = claim.numerator();
        String denominatorRow = claim.denominator();
        double paperRatio;
        if (claim.paperRatio() != null) {
            paperRatio = claim.paperRatio();
        } else {
            ReferenceValue pn = ref.value(claim.table(), claim.numerator(), claim.column()).orElseThrow();
            ReferenceValue pd = ref.value(claim.table(), claim.denominator(), claim.column()).orElseThrow();
            paperRatio = pn.value() / pd.value();
            numeratorRow = pn.measuredRow();
            denominatorRow = pd.measuredRow();
        }
        ColumnPolicy ours = ref.column(claim.oursColumn() != null ? claim.oursColumn() : claim.column());
        boolean lower = claim.lowerIsBetter() != null ? claim.lowerIsBetter() : ours.lowerIsBetter();
        // "row" names a row of the paper's audit table, "table:row" a row of another of its tables (a study)
        List<AuditCheck.Result> checks = claim.checks().isEmpty() || audit == null ? List.of()
                : claim.checks().stream().map(c -> c.contains(":")
                        ? audit.check(ref.specId(c.substring(0, c.indexOf(':'))), c.substring(c.indexOf(':') + 1))
                        : audit.check(ref.specId(ref.audit()), c)).toList();
        Optional<Ours> on = spec.row(numeratorRow).flatMap(r -> cells.ours(spec, r, ours));
        Optional<Ours> od = spec.row(denominatorRow).flatMap(r -> cells.ours(spec, r, ours));
        if (on.isEmpty() || od.isEmpty()) {
            String missing = on.isEmpty() ? numeratorRow : denominatorRow;
            // a row that runs at no scale says why; otherwise it is just not measured yet
            String why = spec.row(missing).map(r -> r.at(org.revbench.harness.spec.Scale.PAPER).notRun()).orElse(null);
            return new ClaimResult(claim, paperRatio, Double.NaN, null, why != null ? missing + ": " + why
                    : "no " + ours.header().toLowerCase(Locale.ROOT) + " of " + missing + " stored", CellStatus.NOT_RUN, lower, checks);
        }
        if (!on.get().scale().equals(od.get().scale())) {
            return new ClaimResult(claim, paperRatio, Double.NaN, null, "numerator at scale " + on.get().scale()
                    + ", denominator at " + od.get().scale() + ": not one run", CellStatus.NOT_RUN, lower, checks);
        }
        double n = on.get().mean() * ours.factor();
        double d = od.get().mean() * ours.factor();
        double ratio = n / d;
        String fmt = "%." + Math.max(ours.digits(), 2) + "f";
        String detail = String.format(Locale.ROOT, fmt + " / " + fmt + " %s", n, d, ours.unit());
        // in the claim's direction: how much weaker than the paper's ratio ours is (negative: stronger)
        double weaker = lower ? ratio / paperRatio - 1 : paperRatio / ratio - 1;
        CellStatus status = Math.abs(weaker) <= REPRODUCED ? CellStatus.REPRODUCED
                : Math.abs(weaker) <= WITHIN ? CellStatus.WITHIN_TOLERANCE
                : weaker < 0 ? CellStatus.STRONGER : CellStatus.DIFFERS;
        // a claimed improvement (the paper's ratio on the better side of 1) that ours reverses is not "within
        // tolerance", however close the two ratios are: the effect the claim is about is absent
        boolean paperImproves = lower ? paperRatio < 1 : paperRatio > 1;
        boolean oursImproves = lower ? ratio < 1 : ratio > 1;
        if (status == CellStatus.WITHIN_TOLERANCE && paperImproves && !oursImproves) {
            status = CellStatus.DIFFERS;
            detail = detail + "; the claimed improvement reverses";
        }
        return new ClaimResult(claim, paperRatio, ratio, on.get().scale(), detail, status, lower, checks);
    }
}
