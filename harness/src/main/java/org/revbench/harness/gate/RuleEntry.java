package org.revbench.harness.gate;

import java.util.Map;
import java.util.Set;
import org.revbench.harness.yaml.YamlFields;

/** One entry of a rules file while it is read: typed access to its keys, errors that name file and entry. */
final class RuleEntry extends YamlFields<RulesFileException> {

    RuleEntry(String source, String name, Map<String, Object> values) {
        super(values, source + ": entry '" + name + "'", RulesFileException::new);
    }

    void requireOnly(Set<String> allowed) {
        allowOnly(allowed, (key, sorted) -> "unknown key '" + key + "' for rule '" + get("rule") + "' (allowed: "
                + String.join(", ", sorted) + ")");
    }

    String text(String key) {
        Object v = get(key);
        if (v == null) {
            throw error("no '" + key + "'");
        }
        return v.toString();
    }

    Direction direction() {
        String text = text("direction");
        Direction d = Direction.fromYaml(text);
        if (d == null) {
            throw error("direction must be 'lower' or 'higher' (which is better), got '" + text + "'");
        }
        return d;
    }

    double requiredNumber(String key) {
        if (!values().containsKey(key)) {
            throw error("no '" + key + "'");
        }
        return number(key, Double.NaN, Double.NEGATIVE_INFINITY);
    }

    /** The number under {@code key} ({@code fallback} when absent), at least {@code min}. */
    double number(String key, double fallback, double min) {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else {
            // YAML 1.1 reads 1e-10 (no dot) as a string; take it as the number it is meant to be
            try {
                d = Double.parseDouble(v.toString().strip());
            } catch (NumberFormatException e) {
                throw error("'" + key + "' must be a number, got '" + v + "'");
            }
        }
        if (!Double.isFinite(d) || d < min) {
            throw error("'" + key + "' must be a finite number"
                    + (min > Double.NEGATIVE_INFINITY ? " of at least " + Numbers.format(min) : "") + ", got " + v);
        }
        return d;
    }

    double positive(String key, double fallback) {
        double d = number(key, fallback, 0);
        if (d == 0) {
            throw error("'" + key + "' must be above 0");
        }
        return d;
    }

    int integer(String key, int fallback, int min) {
        double d = number(key, fallback, min);
        if (d != Math.rint(d) || d > Integer.MAX_VALUE) {
            throw error("'" + key + "' must be a whole number, got " + get(key));
        }
        return (int) d;
    }
}
