package org.revbench.reports.reference;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the report knows of one paper that is not measured: its printed values, its claims, its figures
 * and the discrepancies in its own numbers. Read from {@code references/<paper>.yaml}.
 *
 * @param paper         the paper id, as the specs' {@code paper} field
 * @param title         the paper's title
 * @param authors       who and when
 * @param setting       the hardware and software of the paper's measurements
 * @param tables        the spec tables shown, in order (ids inside the paper)
 * @param audit         the spec table of the invertibility audit, or null
 * @param values        the printed values
 * @param claims        the headline claims
 * @param figures       our charts
 * @param seriesNames   display names of chart series
 * @param notes         a note per table id, shown under its heading
 * @param discrepancies the paper's inconsistencies
 * @param columns       how each column compares (shared policies, with this paper's overrides)
 * @param precision     the numeric precision the paper measured its precision-dependent columns (memory) in, and
 *                      where it says so
 * @param trajectories  the spec table of the training trajectories (memory-saving backward against plain autograd),
 *                      or null
 * @param crosscheck    the spec table of the cross-check of a baseline against its plain-PyTorch twin, or null
 */
public record PaperReference(String paper, String title, String authors, String setting,
                             List<String> tables, String audit, List<ReferenceValue> values, List<Claim> claims,
                             List<FigureSpec> figures, Map<String, String> seriesNames, Map<String, String> notes,
                             List<Discrepancy> discrepancies, Map<String, ColumnPolicy> columns, Precision precision,
                             String trajectories, String crosscheck) {

    /**
     * A precision as a paper states it.
     *
     * @param value  {@code float32}, {@code mixed-float16} ...
     * @param source where the paper states it, or why we assume it
     */
    public record Precision(String value, String source) {}

    /** The spec table id as the harness names it, {@code paper:table}. */
    public String specId(String table) {
        return paper + ":" + table;
    }

    public Optional<ReferenceValue> value(String table, String row, String column) {
        return values.stream().filter(v -> v.table().equals(table) && v.row().equals(row) && v.column().equals(column))
                .findFirst();
    }

    public ColumnPolicy column(String id) {
        ColumnPolicy p = columns.get(id);
        if (p == null) {
            throw new ReferenceException(paper + ": no column policy for '" + id + "' (references/columns.yaml)");
        }
        return p;
    }
}
