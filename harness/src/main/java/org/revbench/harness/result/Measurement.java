package org.revbench.harness.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.revbench.harness.Provenance;

/**
 * One measured number: which experiment row produced it, by which protocol, at which scale, and where it came
 * from. The results store keeps one of these per row; the report and the regression gate read them back.
 *
 * @param table      the spec table, {@code paper:table} (e.g. {@code pararevsnn:table2})
 * @param row        the row id inside that table
 * @param model      the model id the row ran (see {@code revbench models})
 * @param scale      {@code paper}, {@code cpu} or {@code smoke}: which protocol size made the number
 * @param protocol   the protocol that measured it: {@code static}, {@code memory}, {@code latency}, {@code train},
 *                   {@code invertibility}
 * @param metric     what was measured, e.g. {@code params}, {@code mib_per_image}, {@code top1}
 * @param value      the number
 * @param unit       its unit, e.g. {@code count}, {@code MiB/img}, {@code %}, {@code ms}
 * @param seed       the seed of a seeded measurement (training), or null
 * @param specHash   hash of the row's effective settings at this scale: a changed spec row is a new experiment
 * @param details    protocol-specific extras (batch, shapes, spread, repeats ...), JSON-serialisable values
 * @param provenance commit, versions, machine, threads, time
 */
public record Measurement(String table, String row, String model, String scale, String protocol, String metric,
                          double value, String unit, Long seed, String specHash, Map<String, Object> details,
                          Provenance provenance) {

    public Measurement {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(specHash, "specHash");
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The identity of what was measured, without the number: the same key at two commits is a history. */
    public Key key() {
        return new Key(table, row, scale, protocol, metric, seed);
    }

    /** What a measurement is of: compared across commits by the regression gate. */
    public record Key(String table, String row, String scale, String protocol, String metric, Long seed) {}
}
