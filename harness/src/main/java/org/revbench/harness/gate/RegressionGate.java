package org.revbench.harness.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.revbench.harness.result.Measurement;

/**
 * Compares a run's measurements with committed baselines (and, for noisy metrics, with their history), one rule
 * per metric, and reports every key: ok, REGRESSED, improved, new, missing or insufficient history.
 *
 * <p>Matching is by {@link Measurement#key()}, without the seed for the seeds rule (all seeds of a row and metric
 * are judged together). A key measured twice in one list counts once, by its last entry: files are appended to.
 * A key whose spec hash differs from its baseline's is a different experiment with the same name: it is reported
 * as new ("spec changed"), not compared, and its history is only the values with its own spec hash.
 */
public final class RegressionGate {

    private final RuleSet rules;
    private final boolean failOnMissing;

    /**
     * @param failOnMissing whether a baseline key that the current run did not measure fails the gate (it is
     *                      reported either way)
     */
    public RegressionGate(RuleSet rules, boolean failOnMissing) {
        this.rules = rules;
        this.failOnMissing = failOnMissing;
    }

    /** With the shipped rules; missing keys fail. */
    public RegressionGate() {
        this(RuleSet.defaults(), true);
    }

    public GateReport check(List<Measurement> current, List<Measurement> baselines, History history) {
        Map<Measurement.Key, Measurement> now = latestByKey(current);
        Map<Measurement.Key, Measurement> before = latestByKey(baselines);
        List<Comparison> out = new ArrayList<>();
        for (Measurement.Key key : union(now.keySet(), before.keySet())) {
            Rule rule = rules.ruleFor(key.metric(), key.scale());
            if (!(rule instanceof SeedsRule)) {
                Measurement any = now.containsKey(key) ? now.get(key) : before.get(key);
                out.add(new Comparison(key, any.unit(), rule, single(rule, key, now.get(key), before.get(key), history)));
            }
        }
        Map<Measurement.Key, List<Measurement>> nowRows = bySeedlessKey(now);
        Map<Measurement.Key, List<Measurement>> beforeRows = bySeedlessKey(before);
        for (Measurement.Key row : union(nowRows.keySet(), beforeRows.keySet())) {
            if (rules.ruleFor(row.metric(), row.scale()) instanceof SeedsRule rule) {
                List<Measurement> seedsNow = nowRows.getOrDefault(row, List.of());
                List<Measurement> seedsBefore = beforeRows.getOrDefault(row, List.of());
                String unit = (seedsNow.isEmpty() ? seedsBefore : seedsNow).get(0).unit();
                out.add(new Comparison(row, unit, rule, seeds(rule, seedsNow, seedsBefore)));
            }
        }
        return new GateReport(out, failOnMissing);
    }

    /** Every rule but the seeds rule: one current value against one baseline value or a history. */
    private static Verdict single(Rule rule, Measurement.Key key, Measurement now, Measurement before,
                                  History history) {
        if (now == null) {
            return Verdict.missing(Numbers.format(before.value()));
        }
        if (rule instanceof BoundRule bound) {
            return bound.judge(now.value());
        }
        boolean specChanged = before != null && !before.specHash().equals(now.specHash());
        if (rule instanceof ZScoreRule zscore) {
            double[] past = history.of(key, zscore.lookback()).stream()
                    .filter(m -> m.specHash().equals(now.specHash()))
                    .mapToDouble(Measurement::value).toArray();
            if (past.length == 0 && (before == null || specChanged)) {
                return Verdict.added(Numbers.format(now.value()), specChanged ? "spec changed" : "-");
            }
            return zscore.judge(past, now.value());
        }
        if (before == null || specChanged) {
            return Verdict.added(Numbers.format(now.value()), specChanged ? "spec changed" : "-");
        }
        if (rule instanceof ExactRule exact) {
            return exact.judge(before.value(), now.value());
        }
        return ((ToleranceRule) rule).judge(before.value(), now.value());
    }

    /** The seeds rule: all seeds of a row now against all seeds of it in the baseline. */
    private static Verdict seeds(SeedsRule rule, List<Measurement> now, List<Measurement> before) {
        if (now.isEmpty()) {
            return Verdict.missing(Spread.of(values(before)).describe());
        }
        String current = Spread.of(values(now)).describe();
        if (before.isEmpty()) {
            return Verdict.added(current, "-");
        }
        if (!specHashes(now).equals(specHashes(before))) {
            return Verdict.added(current, "spec changed");
        }
        return rule.judge(values(before), values(now), now.get(0).unit());
    }

    private static Map<Measurement.Key, Measurement> latestByKey(List<Measurement> measurements) {
        Map<Measurement.Key, Measurement> m = new LinkedHashMap<>();
        for (Measurement x : measurements) {
            m.remove(x.key()); // the later entry takes the earlier one's place in the order too
            m.put(x.key(), x);
        }
        return m;
    }

    private static Map<Measurement.Key, List<Measurement>> bySeedlessKey(Map<Measurement.Key, Measurement> byKey) {
        Map<Measurement.Key, List<Measurement>> rows = new LinkedHashMap<>();
        for (Measurement m : byKey.values()) {
            rows.computeIfAbsent(withoutSeed(m.key()), k -> new ArrayList<>()).add(m);
        }
        return rows;
    }

    static Measurement.Key withoutSeed(Measurement.Key k) {
        return new Measurement.Key(k.table(), k.row(), k.scale(), k.protocol(), k.metric(), null);
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static double[] values(List<Measurement> measurements) {
        return measurements.stream().mapToDouble(Measurement::value).toArray();
    }

    private static Set<String> specHashes(List<Measurement> measurements) {
        return measurements.stream().map(Measurement::specHash).collect(Collectors.toSet());
    }
}
