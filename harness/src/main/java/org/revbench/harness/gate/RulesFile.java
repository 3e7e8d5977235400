package org.revbench.harness.gate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.revbench.harness.yaml.YamlFields;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads the gate's rules from YAML:
 *
 * <pre>
 * default: {rule: zscore, direction: lower}
 * metrics:
 *   params:        {rule: exact}
 *   mib_per_image: {rule: tolerance, direction: lower, max_relative_change: 0.01}
 *   top1:          {rule: seeds, direction: higher, z: 3, min_drop: 1.0}
 *   train_step_ms: {rule: zscore, direction: lower, threshold: 5, lookback: 20, min_history: 3}
 *   max_abs_error: {rule: bound, bound: 1.0e-10}
 * </pre>
 *
 * A direction is required wherever it matters (a default direction would silently turn a rule around);
 * numeric parameters left out take the defaults below. Anything unexpected (an unknown rule, key or direction,
 * a number out of range, a duplicate metric) is an error naming the file and the entry, so a typo cannot quietly
 * switch a check off.
 */
public final class RulesFile {

    static final double DEFAULT_MAX_RELATIVE_CHANGE = 0.01;
    static final double DEFAULT_SEEDS_Z = 3;
    static final double DEFAULT_MIN_DROP = 1.0;
    static final double DEFAULT_ZSCORE_THRESHOLD = 5;
    static final int DEFAULT_LOOKBACK = 20;
    static final int DEFAULT_MIN_HISTORY = 3;
    static final double DEFAULT_MIN_RELATIVE_STD = 0.005;

    private static final Map<String, Set<String>> KEYS_OF_KIND = Map.of(
            "exact", Set.of("rule"),
            "tolerance", Set.of("rule", "direction", "max_relative_change", "min_absolute_change"),
            "seeds", Set.of("rule", "direction", "z", "min_drop", "cross_machine_min_drop"),
            "zscore", Set.of("rule", "direction", "threshold", "lookback", "min_history", "min_relative_std",
                    "fallback_relative_change", "cross_machine_relative_change"),
            "bound", Set.of("rule", "bound"));

    private RulesFile() {}

    public static RuleSet load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RulesFileException(file + ": cannot read: no such file", e);
        } catch (IOException e) {
            throw new RulesFileException(file + ": cannot read: " + e, e);
        }
        return parse(text, file.toString());
    }

    static RuleSet loadResource(String resource) {
        String source = "classpath:" + resource;
        try (InputStream in = RulesFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new RulesFileException(source + ": not found");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new RulesFileException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses rules from YAML {@code text}; {@code source} names the file in error messages. */
    public static RuleSet parse(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object root = YamlFields.parse(text, options, source, RulesFileException::new);
        YamlFields<RulesFileException> top = new YamlFields<>(asMap(root, source, "the file"), source,
                RulesFileException::new);
        top.allowOnly(Set.of("default", "metrics", "key_metrics"),
                (key, known) -> "unknown top-level key '" + key + "' (expected 'default', 'metrics' and 'key_metrics')");
        if (!top.values().containsKey("default")) {
            throw top.error("no 'default' entry (the rule of metrics not listed)");
        }
        Rule fallback = rule(source, "default", top.get("default"));
        Map<String, Rule> byMetric = new LinkedHashMap<>();
        Object metrics = top.get("metrics");
        if (metrics != null) {
            for (Map.Entry<String, Object> e : asMap(metrics, source, "'metrics'").entrySet()) {
                byMetric.put(e.getKey(), rule(source, e.getKey(), e.getValue()));
            }
        }
        java.util.Set<String> keyMetrics = new java.util.LinkedHashSet<>();
        Object key = top.get("key_metrics");
        if (key != null) {
            if (!(key instanceof List<?> list)) {
                throw top.error("'key_metrics' must be a list of metric names, got '" + key + "'");
            }
            for (Object m : list) {
                if (!(m instanceof String name) || !byMetric.containsKey(name)) {
                    throw top.error("'key_metrics': '" + m + "' is not a metric of 'metrics'");
                }
                keyMetrics.add(name);
            }
        }
        return new RuleSet(byMetric, fallback, source, keyMetrics);
    }

    private static Rule rule(String source, String name, Object value) {
        RuleEntry entry = new RuleEntry(source, name, asMap(value, source, "entry '" + name + "'"));
        String kind = entry.text("rule");
        Set<String> allowed = KEYS_OF_KIND.get(kind);
        if (allowed == null) {
            throw entry.error("unknown rule '" + kind + "' (expected one of exact, tolerance, seeds, zscore, bound)");
        }
        entry.requireOnly(allowed);
        return switch (kind) {
            case "exact" -> new ExactRule();
            case "tolerance" -> new ToleranceRule(entry.direction(),
                    entry.number("max_relative_change", DEFAULT_MAX_RELATIVE_CHANGE, 0),
                    entry.number("min_absolute_change", 0, 0));
            case "seeds" -> new SeedsRule(entry.direction(), entry.number("z", DEFAULT_SEEDS_Z, 0),
                    entry.number("min_drop", DEFAULT_MIN_DROP, 0), entry.number("cross_machine_min_drop", Double.NaN, 0));
            case "zscore" -> zscore(entry);
            case "bound" -> new BoundRule(entry.requiredNumber("bound"));
            default -> throw new IllegalStateException(kind);
        };
    }

    private static ZScoreRule zscore(RuleEntry entry) {
        int lookback = entry.integer("lookback", DEFAULT_LOOKBACK, 2);
        // a spread needs two values
        int minHistory = entry.integer("min_history", DEFAULT_MIN_HISTORY, 2);
        if (minHistory > lookback) {
            throw entry.error("min_history " + minHistory + " exceeds lookback " + lookback
                    + ": the history could never be long enough");
        }
        return new ZScoreRule(entry.direction(), entry.positive("threshold", DEFAULT_ZSCORE_THRESHOLD), lookback,
                minHistory, entry.number("min_relative_std", DEFAULT_MIN_RELATIVE_STD, 0),
                entry.number("fallback_relative_change", Double.NaN, 0),
                entry.number("cross_machine_relative_change", Double.NaN, 0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String source, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new RulesFileException(source + ": " + what + " must be a mapping, got "
                    + (value == null ? "nothing" : "'" + value + "'"));
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new RulesFileException(source + ": " + what + " has a key that is not a name: '" + key + "'");
            }
        }
        return (Map<String, Object>) map;
    }
}
