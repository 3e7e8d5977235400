package org.revbench.harness.gate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.harness.result.Measurement;

/**
 * What the gate found: one comparison per key, in table, row, scale, protocol, metric, seed order, so that a
 * row's metrics stand together.
 */
public final class GateReport {

    private static final Comparator<Measurement.Key> KEY_ORDER = Comparator.comparing(Measurement.Key::table)
            .thenComparing(Measurement.Key::row).thenComparing(Measurement.Key::scale)
            .thenComparing(Measurement.Key::protocol).thenComparing(Measurement.Key::metric)
            .thenComparing(Measurement.Key::seed, Comparator.nullsFirst(Comparator.naturalOrder()));

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().create();

    private static final String[] HEADER = {"table", "row", "scale", "metric", "rule", "baseline", "current",
        "change", "status"};

    private final List<Comparison> comparisons;
    private final boolean failOnMissing;
    private final java.util.Set<String> failingNewMetrics;

    public GateReport(List<Comparison> comparisons, boolean failOnMissing) {
        this(comparisons, failOnMissing, java.util.Set.of());
    }

    /**
     * @param failingNewMetrics metrics for which a NEW comparison (no baseline, or its spec changed) fails the gate
     */
    public GateReport(List<Comparison> comparisons, boolean failOnMissing, java.util.Set<String> failingNewMetrics) {
        List<Comparison> sorted = new ArrayList<>(comparisons);
        sorted.sort(Comparator.comparing(Comparison::key, KEY_ORDER));
        this.comparisons = List.copyOf(sorted);
        this.failOnMissing = failOnMissing;
        this.failingNewMetrics = java.util.Set.copyOf(failingNewMetrics);
    }

    /** The NEW comparisons of key metrics that fail the gate (in CI: the baseline was not refreshed with them). */
    public List<Comparison> failingNew() {
        return comparisons.stream().filter(c -> c.status() == Status.NEW && failingNewMetrics.contains(c.key().metric()))
                .toList();
    }

    public List<Comparison> comparisons() { return comparisons; }

    /** Whether anything regressed, or (unless missing keys are allowed) a baseline key went unmeasured. */
    public boolean failed() {
        return count(Status.REGRESSED) > 0 || (failOnMissing && count(Status.MISSING) > 0) || !failingNew().isEmpty();
    }

    public long count(Status status) {
        return comparisons.stream().filter(c -> c.status() == status).count();
    }

    /** The comparison of {@code key} (seed null for a seeds rule), or null. */
    public Comparison find(Measurement.Key key) {
        return comparisons.stream().filter(c -> c.key().equals(key)).findFirst().orElse(null);
    }

    /** E.g. "3 regressions in 42 comparisons; 2 missing (failing), 1 new, 4 insufficient history". */
    public String summary() {
        long regressions = count(Status.REGRESSED);
        StringBuilder s = new StringBuilder().append(regressions).append(regressions == 1 ? " regression" : " regressions")
                .append(" in ").append(comparisons.size())
                .append(comparisons.size() == 1 ? " comparison" : " comparisons");
        List<String> others = new ArrayList<>();
        long missing = count(Status.MISSING);
        if (missing > 0) {
            others.add(missing + " missing (" + (failOnMissing ? "failing" : "allowed") + ")");
        }
        if (!failingNew().isEmpty()) {
            others.add(failingNew().size() + " new key metrics without a baseline (failing: refresh the baseline in"
                    + " the same change)");
        }
        for (Status st : List.of(Status.FAILS_AS_BEFORE, Status.NEW, Status.INSUFFICIENT_HISTORY, Status.IMPROVED)) {
            long n = count(st);
            if (n > 0) {
                others.add(n + " " + st.label());
            }
        }
        if (!others.isEmpty()) {
            s.append("; ").append(String.join(", ", others));
        }
        return s.toString();
    }

    /** An aligned plain-text table, one line per comparison, then the summary line. */
    public String render() {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        for (Comparison c : comparisons) {
            Measurement.Key k = c.key();
            Verdict v = c.verdict();
            lines.add(new String[] {k.table(), k.seed() == null ? k.row() : k.row() + " seed " + k.seed(), k.scale(),
                k.metric(), c.rule().describe(), v.reference(), v.current(), v.change(), v.status().label()});
        }
        int[] width = new int[HEADER.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                l.append(i == 0 ? "" : "  ").append(line[i]).append(" ".repeat(width[i] - line[i].length()));
            }
            out.append(l.toString().stripTrailing()).append('\n');
        }
        return out.append(summary()).append('\n').toString();
    }

    /** The report as fields for a JSON object: failed, counts, summary and one object per comparison. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failed", failed());
        m.put("regressions", count(Status.REGRESSED));
        m.put("comparisons", comparisons.size());
        m.put("fail_on_missing", failOnMissing);
        m.put("failing_new", failingNew().size());
        m.put("summary", summary());
        List<Map<String, Object>> results = new ArrayList<>();
        for (Comparison c : comparisons) {
            Measurement.Key k = c.key();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("table", k.table());
            r.put("row", k.row());
            r.put("scale", k.scale());
            r.put("protocol", k.protocol());
            r.put("metric", k.metric());
            r.put("seed", k.seed());
            r.put("unit", c.unit());
            r.put("rule", c.rule().kind());
            r.put("rule_parameters", c.rule().describe());
            r.put("status", c.status().label());
            r.put("baseline", c.verdict().reference());
            r.put("current", c.verdict().current());
            r.put("change", c.verdict().change());
            r.put("numbers", c.verdict().numbers());
            results.add(r);
        }
        m.put("results", results);
        return m;
    }

    public String toJson() {
        return GSON.toJson(toMap());
    }
}
