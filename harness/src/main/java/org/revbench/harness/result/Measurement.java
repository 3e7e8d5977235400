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
 * @param taskSeconds how long the grid task that made it took (wall seconds of its protocol run, the same for every
 *                   measurement of the task), or null (not made by the grid, or stored before durations were kept);
 *                   not part of what the number is of ({@link #key()}, {@link #identity()})
 */
public record Measurement(String table, String row, String model, String scale, String protocol, String metric,
                          double value, String unit, Long seed, String specHash, Map<String, Object> details,
                          Provenance provenance, Double taskSeconds) {

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

    /** A measurement without a task duration (as a protocol makes it; the grid adds the duration). */
    public Measurement(String table, String row, String model, String scale, String protocol, String metric,
                       double value, String unit, Long seed, String specHash, Map<String, Object> details,
                       Provenance provenance) {
        this(table, row, model, scale, protocol, metric, value, unit, seed, specHash, details, provenance, null);
    }

    /** This measurement with task duration {@code seconds} (null: none). */
    public Measurement withTaskSeconds(Double seconds) {
        return new Measurement(table, row, model, scale, protocol, metric, value, unit, seed, specHash, details,
                provenance, seconds);
    }

    /** The identity of what was measured, without the number: the same key at two commits is a history. */
    public Key key() {
        return new Key(table, row, scale, protocol, metric, seed);
    }

    /**
     * What the store holds once: what the number is of ({@link #key()}), the code that made it
     * ({@link Provenance#codeVersion()}) and the spec row's hash. A number whose code version cannot be told is
     * its run's alone (the run id, or for records from before run ids, the moment it was measured), so it is never
     * taken for another run's. A SHA-256, hex.
     */
    public String identity() {
        String scope = provenance == null ? "no provenance" : provenance.reuseScope();
        return sha256(String.join("\u0000", table, row, scale, protocol, metric, String.valueOf(seed), specHash, scope));
    }

    /** The identity of a row's protocol run, without the metric and seed: what the grid runner claims and skips. */
    public static String taskIdentity(String table, String row, String scale, String protocol, String specHash,
                                      Provenance run) {
        return sha256(String.join("\u0000", table, row, scale, protocol, specHash, run.reuseScope()));
    }

    static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** What a measurement is of: compared across commits by the regression gate. */
    public record Key(String table, String row, String scale, String protocol, String metric, Long seed) {}
}
