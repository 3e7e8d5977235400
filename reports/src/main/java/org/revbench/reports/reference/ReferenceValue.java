package org.revbench.reports.reference;

/**
 * One number as a paper prints it.
 *
 * @param table    our spec's table id inside the paper (e.g. {@code table2})
 * @param row      our spec's row id
 * @param column   the column ({@link ColumnPolicy#id()})
 * @param value    the printed value
 * @param unit     the printed unit
 * @param source   where in the paper (e.g. {@code Table 2})
 * @param oursFrom the spec row whose measurement is ours for this cell when it is not {@code row} itself, or null
 */
public record ReferenceValue(String table, String row, String column, double value, String unit, String source,
                             String oursFrom) {

    /** The row whose measurement is compared with this value. */
    public String measuredRow() {
        return oursFrom != null ? oursFrom : row;
    }
}
