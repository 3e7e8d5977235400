package org.revbench.reports.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.revbench.harness.result.Measurement;

/**
 * The measurements a report shows. For each table, row and metric it picks the best scale that has one (the
 * order given, e.g. paper before cpu), and at that scale the latest measurement of each seed.
 */
public final class ResultIndex {

    private final List<Measurement> all;
    private final List<String> scales;
    private final Map<String, List<Measurement>> byRowMetric = new LinkedHashMap<>();

    /** @param scales the scales to show, best first; measurements at other scales are ignored */
    public ResultIndex(List<Measurement> measurements, List<String> scales) {
        this.scales = List.copyOf(scales);
        this.all = measurements.stream().filter(m -> scales.contains(m.scale())).toList();
        for (Measurement m : all) {
            byRowMetric.computeIfAbsent(key(m.table(), m.row(), m.metric()), k -> new ArrayList<>()).add(m);
        }
    }

    /** Every measurement at the shown scales. */
    public List<Measurement> measurements() { return all; }

    public List<String> scales() { return scales; }

    /** Ours for a row's metric, or empty when nothing of it is stored at the shown scales. */
    public Optional<Ours> ours(String table, String row, String metric) {
        List<Measurement> ms = byRowMetric.get(key(table, row, metric));
        if (ms == null) {
            return Optional.empty();
        }
        for (String scale : scales) {
            Map<Long, Measurement> latestPerSeed = new LinkedHashMap<>();
            ms.stream().filter(m -> m.scale().equals(scale))
                    .sorted(Comparator.comparing(ResultIndex::timestamp))
                    .forEach(m -> latestPerSeed.put(m.seed() == null ? Long.MIN_VALUE : m.seed(), m));
            if (!latestPerSeed.isEmpty()) {
                List<Measurement> picked = new ArrayList<>(latestPerSeed.values());
                // a row measured without seed and later with seeds keeps only the seeded ones
                if (picked.size() > 1) {
                    picked.removeIf(m -> m.seed() == null);
                }
                return Optional.of(Ours.of(picked));
            }
        }
        return Optional.empty();
    }

    private static String timestamp(Measurement m) {
        return m.provenance() == null ? "" : Objects.toString(m.provenance().timestamp(), "");
    }

    private static String key(String table, String row, String metric) {
        return table + "\u0000" + row + "\u0000" + metric;
    }
}
