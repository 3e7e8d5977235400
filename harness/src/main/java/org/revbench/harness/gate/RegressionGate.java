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
    private final boolean failOnNewKeyMetrics;

    /**
     * @param failOnMissing whether a baseline key that the current run did not measure fails the gate (it is
     *                      reported either way)
     * @param failOnNewKeyMetrics whether a key metric ({@link RuleSet#keyMetrics()}) that the baseline lacks, or
     *                      whose spec changed, fails the gate: in CI, where the baseline must be refreshed in the same
     *                      change, so that no number can join or change its experiment unguarded
     */
    public RegressionGate(RuleSet rules, boolean failOnMissing, boolean failOnNewKeyMetrics) {
        this.rules = rules;
        this.failOnMissing = failOnMissing;
        this.failOnNewKeyMetrics = failOnNewKeyMetrics;
    }

    public RegressionGate(RuleSet rules, boolean failOnMissing) {
        this(rules, failOnMissing, false);
    }

    /** With the shipped rules; missing keys fail; new key metrics fail in CI (where {@code CI} is set). */
    public RegressionGate() {
        this(RuleSet.defaults(), true, inCi());
    }

    /** Whether this process runs in CI: the environment variable {@code CI} is set (as CI services set it). */
    public static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
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
        return new GateReport(out, failOnMissing, failOnNewKeyMetrics ? rules.keyMetrics() : java.util.Set.of());
    }

    /** Every rule but the seeds rule: one current value against one baseline value or a history. */
    private static Verdict single(Rule rule, Measurement.Key key, Measurement now, Measurement before,
                                  History history) {
        if (now == null) {
            return Verdict.missing(Numbers.format(before.value()));
        }
        boolean specChanged = before != null && !before.specHash().equals(now.specHash());
        if (rule instanceof BoundRule bound) {
            return bound.judge(now.value(), before == null || specChanged ? null : before.value());
        }
        if (rule instanceof ZScoreRule zscore) {
            // like with like: a timing's history is the same experiment's on the same machine class
            String machine = machineClass(now);
            double[] past = history.of(key, zscore.lookback()).stream()
                    .filter(m -> m.specHash().equals(now.specHash()) && sameMachineClass(m, machine))
                    .mapToDouble(Measurement::value).toArray();
            if (past.length == 0 && (before == null || specChanged)) {
                return Verdict.added(Numbers.format(now.value()), specChanged ? "spec changed" : "-");
            }
            if (past.length < zscore.minHistory() && before != null && !specChanged) {
                boolean same = sameMachineClass(before, machine);
                double tolerance = zscore.fallback(same);
                if (!Double.isNaN(tolerance)) {
                    // too short a history for a z-score: against the baseline's value, within the stated tolerance
                    Verdict v = new ToleranceRule(zscore.direction(), tolerance).judge(before.value(), now.value());
                    String why = same ? "history " + past.length + " < " + zscore.minHistory() + ": vs baseline, "
                            : "baseline of " + (machineClass(before) == null ? "an unknown machine class"
                            : "machine class " + machineClass(before)) + ": ";
                    Map<String, Object> numbers = new LinkedHashMap<>(v.numbers());
                    numbers.put("tolerance", tolerance);
                    numbers.put("same_machine_class", same);
                    return new Verdict(v.status(), v.reference(), v.current(), v.change() + " (" + why
                            + Numbers.format(tolerance * 100) + "% allowed)", numbers);
                }
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
        String machine = machineClass(now.get(0));
        if (before.stream().allMatch(m -> sameMachineClass(m, machine))) {
            Verdict mean = rule.judge(values(before), values(now), now.get(0).unit());
            if (mean.status() == Status.REGRESSED || !pairedOnOneMachine(now, before)) {
                return mean;
            }
            Verdict seedBySeed = rule.judgeEachSeed(bySeed(before), bySeed(now), now.get(0).unit());
            return seedBySeed.status() == Status.REGRESSED ? seedBySeed : mean;
        }
        // the same seeds train to other weights on another CPU: the floor stated for that, said in the change
        SeedsRule across = rule.acrossMachines();
        Verdict v = across.judge(values(before), values(now), now.get(0).unit());
        return across == rule ? v : new Verdict(v.status(), v.reference(), v.current(), v.change() + " (baseline of another"
                + " machine class: " + Numbers.format(across.minDrop()) + " allowed)", v.numbers());
    }

    /**
     * Whether the seeds of both sides were trained on one stated machine class at one thread count, the same seeds
     * on each side: then each seed trains to the same weights and can be compared with its own baseline value.
     */
    private static boolean pairedOnOneMachine(List<Measurement> now, List<Measurement> before) {
        List<Measurement> all = new ArrayList<>(now);
        all.addAll(before);
        if (all.stream().anyMatch(m -> m.provenance() == null || m.provenance().machineClass() == null
                || m.seed() == null)) {
            return false;
        }
        boolean oneMachine = all.stream().map(m -> m.provenance().machineClass() + "/" + m.provenance().threads())
                .distinct().count() == 1;
        Map<Long, Double> nowSeeds = bySeed(now);
        Map<Long, Double> beforeSeeds = bySeed(before);
        return oneMachine && nowSeeds.keySet().equals(beforeSeeds.keySet()) && nowSeeds.size() == now.size()
                && beforeSeeds.size() == before.size();
    }

    private static Map<Long, Double> bySeed(List<Measurement> ms) {
        Map<Long, Double> m = new java.util.TreeMap<>();
        ms.forEach(x -> m.put(x.seed(), x.value()));
        return m;
    }

    private static String machineClass(Measurement m) {
        return m.provenance() == null ? null : m.provenance().machineClass();
    }

    /**
     * Whether {@code m} was measured on machine class {@code machine}. A class that one side states and the other
     * does not (a baseline from before classes were kept) is another class; two that state none are compared as the
     * gate always compared them.
     */
    private static boolean sameMachineClass(Measurement m, String machine) {
        return java.util.Objects.equals(machine, machineClass(m));
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
