package org.revbench.harness.result;

/**
 * Which measurements {@link ResultStore#find} returns: every filter is optional (null matches anything) and all
 * given filters must hold. Start from {@link #all()} and narrow:
 * {@code ResultQuery.all().withTable("pararevsnn:table2").withScale("cpu")}.
 *
 * @param table    spec table, e.g. {@code pararevsnn:table2}
 * @param scale    {@code paper}, {@code cpu} or {@code smoke}
 * @param row      row id inside the table
 * @param protocol the measuring protocol
 * @param metric   what was measured
 * @param commit   the git commit the measurement was made at, or a prefix of it (as {@code git log --oneline}
 *                 abbreviates)
 */
public record ResultQuery(String table, String scale, String row, String protocol, String metric, String commit) {

    private static final ResultQuery ALL = new ResultQuery(null, null, null, null, null, null);

    /** No filter: every measurement. */
    public static ResultQuery all() { return ALL; }

    public ResultQuery withTable(String t) { return new ResultQuery(t, scale, row, protocol, metric, commit); }

    public ResultQuery withScale(String s) { return new ResultQuery(table, s, row, protocol, metric, commit); }

    public ResultQuery withRow(String r) { return new ResultQuery(table, scale, r, protocol, metric, commit); }

    public ResultQuery withProtocol(String p) { return new ResultQuery(table, scale, row, p, metric, commit); }

    public ResultQuery withMetric(String m) { return new ResultQuery(table, scale, row, protocol, m, commit); }

    public ResultQuery withCommit(String c) { return new ResultQuery(table, scale, row, protocol, metric, c); }
}
