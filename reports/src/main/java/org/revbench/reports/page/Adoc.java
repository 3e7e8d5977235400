package org.revbench.reports.page;

import java.util.List;
import java.util.Locale;

/** Writes AsciiDoc text: escaping, numbers, tables. */
final class Adoc {

    private final StringBuilder out = new StringBuilder();

    Adoc line(String s) {
        out.append(s).append('\n');
        return this;
    }

    Adoc blank() {
        out.append('\n');
        return this;
    }

    /** A table: a header row, then rows of already formatted cells; {@code cols} is the AsciiDoc cols spec. */
    Adoc table(String cols, List<String> header, List<List<String>> rows, String role) {
        line("[" + (role == null ? "" : "." + role) + (cols == null ? "" : ",cols=\"" + cols + "\"") + ",options=header]");
        line("|===");
        line(String.join(" ", header.stream().map(h -> "|" + h).toList()));
        blank();
        for (List<String> r : rows) {
            for (String c : r) {
                line("|" + c);
            }
            blank();
        }
        line("|===");
        return blank();
    }

    /** An inline SVG chart, in an open block so that the title line above it shows (a bare passthrough drops it). */
    Adoc chart(String svg) {
        line("[.chart]");
        line("--");
        line("++++");
        line(svg);
        line("++++");
        line("--");
        return blank();
    }

    /** Literal text: no AsciiDoc formatting applies, HTML is escaped, a table's cell separator is safe. */
    static String text(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        return "pass:c[" + s.replace("\\", "\\\\").replace("]", "\\]").replace("|", "{vbar}") + "]";
    }

    /** Prose that may use AsciiDoc inline formatting (backticks), safe inside a table cell. */
    static String prose(String s) {
        return s == null ? "" : s.replace("|", "{vbar}");
    }

    /** A span styled by the report's stylesheet. */
    static String role(String role, String s) {
        return "[." + role + "]#" + s + "#";
    }

    /** A number with a fixed count of decimals, thousands unseparated; small or huge numbers in scientific form. */
    static String number(double v, int digits) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < Math.pow(10, -digits) || a >= 1e9)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** An error or tolerance in scientific form. */
    static String sci(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2e", v);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
