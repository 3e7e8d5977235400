package org.revbench.harness.gate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rule of every metric, with a fallback for metrics the rules do not name.
 *
 * @param byMetric metric name to its rule
 * @param fallback the rule of any other metric (the rules file's {@code default})
 * @param source   where the rules came from, for messages
 * @param keyMetrics the metrics a change must bring baselines for: in CI a key metric that is new to the baseline,
 *                 or whose spec changed, fails the gate unless the same change refreshes the baseline
 */
public record RuleSet(Map<String, Rule> byMetric, Rule fallback, String source, java.util.Set<String> keyMetrics) {

    public RuleSet(Map<String, Rule> byMetric, Rule fallback, String source) {
        this(byMetric, fallback, source, java.util.Set.of());
    }


    /** The rules shipped with the harness, on the class path. */
    public static final String DEFAULT_RESOURCE = "gate/rules.yaml";

    public RuleSet {
        byMetric = Collections.unmodifiableMap(new LinkedHashMap<>(byMetric));
        Objects.requireNonNull(fallback, "fallback");
        keyMetrics = java.util.Set.copyOf(keyMetrics);
    }

    public Rule ruleFor(String metric) {
        return byMetric.getOrDefault(metric, fallback);
    }

    /**
     * The rule of {@code metric} at {@code scale}: an entry {@code metric@scale} (e.g. {@code top1@smoke}, where a
     * few training steps make accuracy coarse) wins over the metric's own.
     */
    public Rule ruleFor(String metric, String scale) {
        Rule scaled = byMetric.get(metric + "@" + scale);
        return scaled != null ? scaled : ruleFor(metric);
    }

    /** The shipped rules ({@value #DEFAULT_RESOURCE}). */
    public static RuleSet defaults() {
        return RulesFile.loadResource(DEFAULT_RESOURCE);
    }
}
