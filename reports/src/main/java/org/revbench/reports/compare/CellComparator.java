package org.revbench.reports.compare;

import java.util.Optional;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.RowSettings;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecRow;
import org.revbench.reports.reference.ColumnPolicy;
import org.revbench.reports.reference.PaperReference;
import org.revbench.reports.reference.ReferenceValue;

/**
 * Decides a cell: finds ours for the paper's value, converts it to the paper's unit and compares it under the
 * column's policy. The comparison never asks which paper or model it is looking at: one policy for all papers
 * (references/columns.yaml), and one rule for precision: a precision-dependent column is compared cell by cell only
 * where the paper measured in the precision ours ran in.
 */
public final class CellComparator {

    /** Every measurement of ours runs in float32 (the protocols' default dtype; float64 only in self-checks). */
    public static final String OURS_PRECISION = "float32";

    private final ResultIndex index;
    private final PaperReference.Precision paperPrecision;

    /** For a paper that measured in our precision. */
    public CellComparator(ResultIndex index) {
        this(index, new PaperReference.Precision(OURS_PRECISION, "as ours"));
    }

    /** @param paperPrecision the precision the paper measured its precision-dependent columns in */
    public CellComparator(ResultIndex index, PaperReference.Precision paperPrecision) {
        this.index = index;
        this.paperPrecision = paperPrecision;
    }

    /** Why a precision-dependent column of this paper is not compared cell by cell, or null when it is. */
    public String precisionRuledOut(ColumnPolicy policy) {
        if (!policy.precisionDependent() || paperPrecision.value().equals(OURS_PRECISION)) {
            return null;
        }
        return "the paper measured under " + paperPrecision.value() + " (" + paperPrecision.source() + "), ours in "
                + OURS_PRECISION + ": a quantity that depends on the precision is compared cell by cell only where both "
                + "ran in one precision; the claims compare ratios";
    }

    /**
     * @param spec   the spec table the row belongs to
     * @param row    the spec row of the cell
     * @param policy the column
     * @param paper  the paper's value for this cell, or null
     */
    public Cell compare(ExperimentSpec spec, SpecRow row, ColumnPolicy policy, ReferenceValue paper) {
        String measuredRowId = paper != null ? paper.measuredRow() : row.id();
        SpecRow measuredRow = spec.row(measuredRowId).orElseThrow(() -> new IllegalArgumentException(
                spec.id() + ": the reference names row '" + measuredRowId + "', which the spec does not have"));
        Optional<Ours> found = ours(spec, measuredRow, policy);
        if (found.isEmpty()) {
            return new Cell(policy, paper, null, Double.NaN, CellStatus.NOT_RUN, whyMissing(spec, measuredRow, policy));
        }
        Ours ours = found.get();
        double value = ours.mean() * policy.factor();
        if (policy.metric().equals(ColumnPolicy.SPEC_TIMESTEPS)) {
            // our own setting read back from the spec: agreeing with the paper's T is not a finding
            return new Cell(policy, paper, ours, value, CellStatus.CONFIGURATION, null);
        }
        if (paper == null) {
            return new Cell(policy, null, ours, value, CellStatus.OURS_ONLY, null);
        }
        String precision = precisionRuledOut(policy);
        if (precision != null) {
            return new Cell(policy, paper, ours, value, CellStatus.NOT_COMPARABLE, precision);
        }
        switch (policy.comparable()) {
            case NEVER:
                return new Cell(policy, paper, ours, value, CellStatus.NOT_COMPARABLE, policy.whyNot());
            case PAPER_SCALE:
                if (!ours.scale().equals(Scale.PAPER.id())) {
                    String note = measuredRow.at(Scale.parse(ours.scale())).note();
                    return new Cell(policy, paper, ours, value, CellStatus.NOT_COMPARABLE, policy.whyNot()
                            + " (scale " + ours.scale() + (note == null ? "" : ": " + note) + ")");
                }
                break;
            default:
                break;
        }
        CellStatus status = policy.reproduced() != null && policy.reproduced().admits(paper.value(), value)
                ? CellStatus.REPRODUCED
                : policy.within() != null && policy.within().admits(paper.value(), value) ? CellStatus.WITHIN_TOLERANCE
                : CellStatus.DIFFERS;
        return new Cell(policy, paper, ours, value, status, trainedInAnotherPrecision(policy));
    }

    /**
     * What a compared cell that training made says where the paper trained in another precision: ours trained in
     * float32, beside the paper's number made under its mixed precision. The comparison stands (the precision moves
     * an accuracy little), and the reader sees it is not the paper's precision; null otherwise.
     */
    String trainedInAnotherPrecision(ColumnPolicy policy) {
        if (policy.comparable() != ColumnPolicy.Comparability.PAPER_SCALE || paperPrecision.value().equals(OURS_PRECISION)) {
            return null;
        }
        return "ours trained in " + OURS_PRECISION + " (DJL has no automatic mixed precision), the paper under "
                + paperPrecision.value() + " (" + paperPrecision.source() + ")";
    }

    /** Ours for a row's column: a stored measurement, or the spec's T for the timesteps column. */
    public Optional<Ours> ours(ExperimentSpec spec, SpecRow row, ColumnPolicy policy) {
        if (row.quoted()) {
            return Optional.empty(); // a row the paper quotes: nothing of ours, not even its configuration
        }
        if (policy.metric().equals(ColumnPolicy.SPEC_TIMESTEPS)) {
            // architecture columns run at the paper's T at every scale (the train protocol alone may use fewer)
            int t = row.at(Scale.PAPER).timesteps();
            return Optional.of(new Ours(t, t, t, "spec", java.util.List.of()));
        }
        return index.ours(spec.id(), row.id(), policy.metric());
    }

    private String whyMissing(ExperimentSpec spec, SpecRow row, ColumnPolicy policy) {
        for (String s : index.scales()) {
            Scale scale = Scale.parse(s);
            RowSettings at = row.at(scale);
            if (at.notRun() != null) {
                return "scale " + s + ": " + at.notRun();
            }
            boolean asked = at.columns().stream().anyMatch(c -> c.id().equals(policy.specColumn()));
            if (!asked) {
                return "scale " + s + " does not run this column" + (at.note() == null ? "" : ": " + at.note());
            }
        }
        return "not measured yet: `revbench run --table " + spec.id() + " --row " + row.id() + " --scale "
                + index.scales().get(index.scales().size() - 1) + "`";
    }
}
