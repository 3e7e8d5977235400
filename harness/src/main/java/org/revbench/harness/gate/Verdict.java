package org.revbench.harness.gate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a rule found for one key.
 *
 * @param status    the judgement
 * @param reference what the current value was compared with, as printed (baseline value, seed mean +- std,
 *                  history mean +- std, the bound)
 * @param current   the current value, as printed
 * @param change    the change, as printed: %, points, a z-score, an absolute difference
 * @param numbers   the same numbers unformatted, for the JSON report
 */
public record Verdict(Status status, String reference, String current, String change, Map<String, Object> numbers) {

    public Verdict {
        numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
    }

    /** An ordered map of alternating names and values, so the JSON report lists them in a stable order. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    static Verdict missing(String reference) {
        return new Verdict(Status.MISSING, reference, "-", "-", Map.of());
    }

    static Verdict added(String current, String why) {
        return new Verdict(Status.NEW, "-", current, why, Map.of());
    }
}
