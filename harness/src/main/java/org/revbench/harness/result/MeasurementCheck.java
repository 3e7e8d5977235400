package org.revbench.harness.result;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;
import org.revbench.harness.Provenance;
import org.revbench.harness.protocol.Protocols;
import org.revbench.harness.spec.Scale;

/**
 * What a measurement must be to enter the store, by {@code save} or by import: a finite number, in range for its
 * unit, of a known scale and protocol, with a provenance that says which code and when. A number that fails here
 * is a broken run or a broken file, and storing it would hand it to the report and the gate as if it were real.
 */
final class MeasurementCheck {

    private static final Pattern TABLE = Pattern.compile("[a-z0-9][a-z0-9._-]*:[a-z0-9][a-z0-9._-]*");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern TREE_HASH = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SECONDS_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    /** Units of whole numbers (parameters, multiply-accumulates, bytes). */
    private static final Set<String> WHOLE = Set.of("count", "MAC/img", "bytes");

    private MeasurementCheck() {}

    /** The first thing wrong with {@code m}, or null when nothing is. */
    static String problem(Measurement m) {
        if (!TABLE.matcher(m.table()).matches()) {
            return "'table' must be paper:table (e.g. pararevsnn:table2), got '" + m.table() + "'";
        }
        for (String[] f : new String[][] {{"row", m.row()}, {"model", m.model()}, {"metric", m.metric()},
                {"unit", m.unit()}, {"spec_hash", m.specHash()}}) {
            if (f[1].isBlank()) {
                return "'" + f[0] + "' is empty";
            }
        }
        try {
            Scale.parse(m.scale());
        } catch (IllegalArgumentException e) {
            return "'scale': " + e.getMessage();
        }
        if (!Protocols.names().contains(m.protocol())) {
            return "'protocol' must be one of " + String.join(", ", Protocols.names()) + ", got '" + m.protocol() + "'";
        }
        double v = m.value();
        if (!Double.isFinite(v)) {
            return "'value' of " + m.metric() + " is " + v + ": a failed measurement, not a number to keep";
        }
        if (v < 0) {
            return "'value' of " + m.metric() + " is negative (" + v + " " + m.unit() + ")";
        }
        if (WHOLE.contains(m.unit()) && v != Math.rint(v)) {
            return "'value' of " + m.metric() + " must be a whole number of " + m.unit() + ", got " + v;
        }
        if (m.unit().equals("%") && v > 100) {
            return "'value' of " + m.metric() + " is " + v + " %, above 100";
        }
        Double t = m.taskSeconds();
        if (t != null && !(Double.isFinite(t) && t >= 0)) {
            return "'task_seconds' must be a finite number of seconds, not negative, got " + t;
        }
        Provenance p = m.provenance();
        if (p == null) {
            return "no 'provenance' (the store keeps the commit and machine of every measurement)";
        }
        if (p.gitCommit() == null || !(COMMIT.matcher(p.gitCommit()).matches() || Provenance.UNKNOWN.equals(p.gitCommit()))) {
            return "provenance 'git_commit' must be a full commit hash or \"unknown\", got " + quoted(p.gitCommit());
        }
        String tree = p.treeState();
        if (tree == null || !(tree.equals(Provenance.CLEAN) || tree.equals(Provenance.UNKNOWN)
                || TREE_HASH.matcher(tree).matches())) {
            return "provenance 'tree_state' must be \"clean\", \"unknown\" or a 16-digit hash, got " + quoted(tree);
        }
        if (p.timestamp() == null || !SECONDS_UTC.matcher(p.timestamp()).matches()) {
            return "provenance 'timestamp' must be UTC to the second (2026-12-01T10:00:00Z), got " + quoted(p.timestamp());
        }
        try {
            Instant.parse(p.timestamp());
        } catch (DateTimeParseException e) {
            return "provenance 'timestamp' is not a date: " + quoted(p.timestamp());
        }
        if (p.cpus() < 1) {
            return "provenance 'cpus' must be at least 1, got " + p.cpus();
        }
        if (p.threads() != null && p.threads() < 1) {
            return "provenance 'threads' must be at least 1, got " + p.threads();
        }
        return null;
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
