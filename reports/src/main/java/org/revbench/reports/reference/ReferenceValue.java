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
 * @param derived  how we computed the value from numbers the paper printed (e.g. {@code 9032 / 58.65}) when the
 *                 paper does not print it itself, or null for a printed value; the report labels it derived
 */
public record ReferenceValue(String table, String row, String column, double value, String unit, String source,
                             String oursFrom, String derived) {

    /** A value as the paper prints it. */
    public ReferenceValue(String table, String row, String column, double value, String unit, String source, String oursFrom) {
        this(table, row, column, value, unit, source, oursFrom, null);
    }

    /** The row whose measurement is compared with this value. */
    public String measuredRow() {
        return oursFrom != null ? oursFrom : row;
    }
}
