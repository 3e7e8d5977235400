package org.revbench.harness.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.revbench.harness.yaml.YamlFields;

/**
 * Typed reads from a parsed YAML map, each failure a {@link SpecException} that says where: {@code where} is
 * e.g. {@code "specs/pararevsnn/table2.yaml, row revsresnet21, scale cpu"}.
 */
final class Fields extends YamlFields<SpecException> {

    Fields(Map<String, Object> map, String where) {
        super(map, where, SpecException::new);
    }

    void allowOnly(Set<String> known) {
        allowOnly(known, (k, sorted) -> "unknown field '" + k + "' (known: " + String.join(", ", sorted) + ")");
    }

    String string(String field) {
        Object v = require(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw error(field, "must be a non-empty string, got " + describe(v));
        }
        return s;
    }

    String optString(String field) {
        return has(field) ? string(field) : null;
    }

    int positiveInt(String field) {
        Object v = require(field);
        if (!(v instanceof Integer i) || i <= 0) {
            throw error(field, "must be a positive integer, got " + describe(v));
        }
        return i;
    }

    Integer optPositiveInt(String field) {
        return has(field) ? positiveInt(field) : null;
    }

    double number(String field) {
        Object v = require(field);
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw error(field, "must be a finite number, got " + describe(v));
        }
        return n.doubleValue();
    }

    double optNumber(String field, double fallback) {
        return has(field) ? number(field) : fallback;
    }

    List<String> strings(String field) {
        Object v = require(field);
        if (!(v instanceof List<?> l)) {
            throw error(field, "must be a list, got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String s) || s.isBlank()) {
                throw error(field, "must hold non-empty strings, got " + describe(o));
            }
            out.add(s);
        }
        return out;
    }

    List<Long> longs(String field, boolean nonEmpty) {
        Object v = require(field);
        if (!(v instanceof List<?> l) || (nonEmpty && l.isEmpty())) {
            throw error(field, "must be a " + (nonEmpty ? "non-empty " : "") + "list of integers, got " + describe(v));
        }
        List<Long> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Integer || o instanceof Long)) {
                throw error(field, "must hold integers, got " + describe(o));
            }
            out.add(((Number) o).longValue());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String field) {
        Object v = require(field);
        if (!(v instanceof Map<?, ?> m)) {
            throw error(field, "must be a mapping, got " + describe(v));
        }
        return (Map<String, Object>) m;
    }

    Fields sub(String field) {
        return new Fields(map(field), where() + ", " + field);
    }

    static String describe(Object v) {
        return v == null ? "nothing" : v instanceof String ? "'" + v + "'" : v + " (" + v.getClass().getSimpleName() + ")";
    }
}
