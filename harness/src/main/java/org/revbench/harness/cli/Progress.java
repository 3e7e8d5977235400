package org.revbench.harness.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Progress of a loop as one line per update: {@code step i/N}, a bar, what the caller adds (loss, accuracy),
 * elapsed time and ETA. No carriage returns or ANSI codes, so a log file or pipe reads like the console; the bar
 * uses block characters only on a UTF-8 console and plain ASCII otherwise.
 */
final class Progress {

    private static final int BAR = 20;

    private final PrintWriter err;
    private final String unit;
    private final long total;
    private final boolean unicode;
    private final long start = System.nanoTime();

    Progress(PrintWriter err, String unit, long total, boolean unicode) {
        this.err = err;
        this.unit = unit;
        this.total = total;
        this.unicode = unicode;
    }

    /** Whether stdout/stderr are a console that can show Unicode blocks. */
    static boolean unicodeConsole() {
        if (System.console() == null) {
            return false;
        }
        String enc = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        Charset cs;
        try {
            cs = enc != null ? Charset.forName(enc) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return false;
        }
        return cs.equals(StandardCharsets.UTF_8);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Prints the line for {@code done} of {@code total} units, with {@code detail} in the middle. */
    void update(long done, String detail) {
        double elapsed = elapsedSeconds();
        double eta = done > 0 ? elapsed / done * (total - done) : Double.NaN;
        int width = String.valueOf(total).length();
        err.printf(Locale.ROOT, "%s %" + width + "d/%d %s %s  elapsed %s  eta %s%n", unit, done, total,
                bar(done), detail, duration(elapsed), done >= total ? "0s" : duration(eta));
        err.flush();
    }

    String bar(long done) {
        int filled = total <= 0 ? BAR : (int) Math.min(BAR, done * BAR / total);
        return unicode ? "\u2590" + "\u2588".repeat(filled) + "\u2591".repeat(BAR - filled) + "\u258C"
                : "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "]";
    }

    /** 4.2s, 3m07s, 1h02m. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
