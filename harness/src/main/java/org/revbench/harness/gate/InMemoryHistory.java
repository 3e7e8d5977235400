package org.revbench.harness.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.harness.result.Measurement;

/**
 * A history held in memory: measurements in the order they were made, oldest first, each one point of its key's
 * history (a committed measurements file with one entry per commit, or a test's made-up series).
 */
public final class InMemoryHistory implements History {

    private final Map<Measurement.Key, List<Measurement>> byKey = new LinkedHashMap<>();

    public InMemoryHistory(List<Measurement> oldestFirst) {
        for (Measurement m : oldestFirst) {
            byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
        }
    }

    @Override
    public List<Measurement> of(Measurement.Key key, int lookback) {
        List<Measurement> all = byKey.getOrDefault(key, List.of());
        return List.copyOf(all.subList(Math.max(0, all.size() - lookback), all.size()));
    }
}
