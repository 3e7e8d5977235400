package org.revbench.harness.result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.harness.Provenance;

/**
 * Measurements for the store tests, with every awkward field: null seed, nested details, null provenance fields (commit
 * A's are made with the older constructor, so without machine class and allocator; commit B's name an allocator).
 */
final class SampleMeasurements {

    static final String COMMIT_A = "a".repeat(40);
    static final String COMMIT_B = "b".repeat(40);
    static final String TABLE = "pararevsnn:table2";

    private SampleMeasurements() {}

    static Provenance provenance(String commit, String timestamp, Long seed) {
        Provenance p = new Provenance(commit, commit.equals(COMMIT_B) ? null : Boolean.FALSE,
                "17.0.12 (Eclipse Adoptium)", "OpenJDK 64-Bit Server VM 17.0.12+7", "0.35.1", "2.7.1",
                "Linux 6.1.0 amd64", "AMD EPYC 7B13", 2, seed == null ? null : 2, seed, timestamp);
        if (!commit.equals(COMMIT_B)) {
            return p;
        }
        return new Provenance(p.gitCommit(), p.gitDirty(), p.treeState(), p.jdk(), p.jvm(), p.djlVersion(),
                p.libtorchVersion(), p.os(), p.cpuModel(), null, "tcmalloc (libtcmalloc_minimal.so.4.5.10)", p.cpus(),
                p.threads(), p.seed(), p.runId(), p.timestamp());
    }

    /** {@code p} with the uncommitted changes {@code tree} (a 16-digit hash). */
    static Provenance withTree(Provenance p, String tree) {
        return new Provenance(p.gitCommit(), true, tree, p.jdk(), p.jvm(), p.djlVersion(), p.libtorchVersion(), p.os(),
                p.cpuModel(), p.machineClass(), p.allocator(), p.cpus(), p.threads(), p.seed(), p.runId(),
                p.timestamp());
    }

    /** A clean checkout of commit A, as run {@code runId}. */
    static Provenance run(String runId) {
        Provenance p = provenance(COMMIT_A, "2025-03-01T10:00:00Z", null);
        return new Provenance(p.gitCommit(), false, Provenance.CLEAN, p.jdk(), p.jvm(), p.djlVersion(),
                p.libtorchVersion(), p.os(), p.cpuModel(), "x86_64 AuthenticAMD avx2", "glibc 2.36", p.cpus(),
                p.threads(), null, runId, p.timestamp());
    }

    static Measurement withProvenance(Measurement m, Provenance p) {
        return new Measurement(m.table(), m.row(), m.model(), m.scale(), m.protocol(), m.metric(), m.value(), m.unit(),
                m.seed(), m.specHash(), m.details(), p);
    }

    /** A memory measurement: no seed, details with an int-valued double, a string, a list and a nested map. */
    static Measurement memory(String row, String commit, String timestamp, double value) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("batch", 32.0);
        details.put("shape", List.of(3.0, 32.0, 32.0));
        details.put("probe", "posix_memalign");
        details.put("spread", Map.of("min", 1.25, "max", 1.5));
        details.put("note", null);
        return new Measurement(TABLE, row, "pararevsnn37", "cpu", "memory", "mib_per_image", value, "MiB/img", null,
                "spec-" + row, details, provenance(commit, timestamp, null));
    }

    /** A seeded training measurement with a seed that a double could not hold exactly, and no details. */
    static Measurement top1(String row, String commit, String timestamp, long seed, double value) {
        return new Measurement(TABLE, row, "ms-resnet18", "smoke", "train", "top1", value, "%", seed, "spec-" + row,
                Map.of(), provenance(commit, timestamp, seed));
    }

    /** Two commits' worth of measurements, oldest first: memory rows (r1 measured twice at B) and a seeded top-1. */
    static List<Measurement> twoCommits() {
        List<Measurement> ms = new ArrayList<>();
        ms.add(memory("r1", COMMIT_A, "2025-01-01T10:00:00Z", 29.64));
        ms.add(memory("r2", COMMIT_A, "2025-01-01T10:00:01Z", 31.5));
        ms.add(top1("r3", COMMIT_A, "2025-01-01T10:00:02Z", 9_007_199_254_740_993L, 61.25));
        ms.add(memory("r1", COMMIT_B, "2025-01-02T10:00:00Z", 23.64));
        ms.add(memory("r1", COMMIT_B, "2025-01-02T10:00:01Z", 23.66));
        ms.add(top1("r3", COMMIT_B, "2025-01-02T10:00:02Z", 9_007_199_254_740_993L, 58.5));
        return ms;
    }
}
