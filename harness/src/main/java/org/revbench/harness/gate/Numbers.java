package org.revbench.harness.gate;

import java.util.Locale;

/** How the report prints numbers: counts exactly, everything else to four significant digits. */
final class Numbers {

    private Numbers() {}

    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        // counts (parameters, FLOPs) are integers stored as doubles: print every digit, a rounded count hides an
        // off-by-one
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        int e = s.indexOf('e');
        return e < 0 ? stripZeros(s) : stripZeros(s.substring(0, e)) + s.substring(e);
    }

    static String signed(double v, String format) {
        return String.format(Locale.ROOT, format, v);
    }

    private static String stripZeros(String s) {
        if (!s.contains(".")) {
            return s;
        }
        String t = s.replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
