package org.revbench.harness.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.harness.result.SampleMeasurements.COMMIT_A;
import static org.revbench.harness.result.SampleMeasurements.COMMIT_B;
import static org.revbench.harness.result.SampleMeasurements.TABLE;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every database behind a {@link ResultStore} must do, run once per database (H2, PostgreSQL): each test
 * gets empty, separate stores from {@link #openStore} and {@link #openOtherStore}.
 */
abstract class ResultStoreContract {

    @TempDir
    Path tmp;

    /** A store on an empty database; opening it again (same arguments) reopens the same database. */
    abstract ResultStore openStore();

    /** A store on a second empty database, for import into a fresh store. */
    abstract ResultStore openOtherStore();

    @Test
    void migratingTwiceKeepsTheData() {
        Measurement m = SampleMeasurements.memory("r1", COMMIT_A, "2025-01-01T10:00:00Z", 29.64);
        try (ResultStore store = openStore()) {
            store.save(m);
        }
        try (ResultStore again = openStore()) {
            assertEquals(List.of(m), again.find(ResultQuery.all()));
        }
    }

    @Test
    void savedMeasurementsComeBackEqual() {
        List<Measurement> ms = SampleMeasurements.twoCommits();
        try (ResultStore store = openStore()) {
            for (Measurement m : ms) {
                store.save(m);
            }
            // oldest first, every field equal: null seed, nested details as doubles, null provenance fields, NaN
            assertEquals(ms, store.find(ResultQuery.all()));
            assertEquals(List.of(ms.get(3), ms.get(4)),
                    store.find(ResultQuery.all().withTable(TABLE).withScale("cpu").withCommit(COMMIT_B)));
            assertEquals(List.of(ms.get(2)), store.find(ResultQuery.all().withRow("r3").withCommit(COMMIT_A)
                    .withProtocol("train").withMetric("top1")));
            assertEquals(List.of(), store.find(ResultQuery.all().withTable("other:table1")));
            // a commit filter may be abbreviated; LIKE's wildcards in it are plain characters
            assertEquals(ms.subList(3, 6), store.find(ResultQuery.all().withCommit("bbbbbbb")));
            assertEquals(List.of(), store.find(ResultQuery.all().withCommit("%")));
        }
    }

    @Test
    void hasAnswersPerCommitAndSpecHash() {
        try (ResultStore store = openStore()) {
            store.saveAll(SampleMeasurements.twoCommits());
            assertTrue(store.has(TABLE, "r2", "cpu", "memory", COMMIT_A, "spec-r2"));
            assertFalse(store.has(TABLE, "r2", "cpu", "memory", COMMIT_B, "spec-r2"), "r2 was not run at B");
            assertFalse(store.has(TABLE, "r2", "cpu", "memory", COMMIT_A, "changed-spec"));
            assertFalse(store.has(TABLE, "r2", "paper", "memory", COMMIT_A, "spec-r2"));
        }
    }

    @Test
    void historyIsTheNewestOfOneKeyOldestFirst() {
        List<Measurement> ms = SampleMeasurements.twoCommits();
        try (ResultStore store = openStore()) {
            store.saveAll(ms);
            Measurement.Key r1 = ms.get(0).key();
            assertEquals(List.of(ms.get(0), ms.get(3), ms.get(4)), store.history(r1, 10));
            assertEquals(List.of(ms.get(3), ms.get(4)), store.history(r1, 2));
            // the seed is part of the key: a seeded key matches only its seed, a null seed only null
            assertEquals(List.of(ms.get(2), ms.get(5)), store.history(ms.get(2).key(), 5));
            Measurement.Key otherSeed = new Measurement.Key(TABLE, "r3", "smoke", "train", "top1", 1L);
            assertEquals(List.of(), store.history(otherSeed, 5));

            assertEquals(Optional.of(ms.get(4)), store.latest(r1, COMMIT_B));
            assertEquals(Optional.of(ms.get(0)), store.latest(r1, COMMIT_A));
            assertEquals(Optional.empty(), store.latest(ms.get(1).key(), COMMIT_B));
        }
    }

    @Test
    void historyMayLeaveOutOneCommitInTheQuery() {
        List<Measurement> ms = SampleMeasurements.twoCommits();
        Measurement c = SampleMeasurements.memory("r1", "c".repeat(40), "2025-01-03T10:00:00Z", 25.0);
        try (ResultStore store = openStore()) {
            store.saveAll(ms);
            store.save(c);
            Measurement.Key r1 = c.key();
            assertEquals(List.of(ms.get(0), c), store.history(r1, 10, COMMIT_B));
            assertEquals(List.of(c), store.history(r1, 1, COMMIT_B));
            assertEquals(List.of(ms.get(0), c), store.history(r1, 2, COMMIT_B), "the lookback counts what is left");
            assertEquals(List.of(ms.get(3), ms.get(4), c), store.history(r1, 10, COMMIT_A));
            assertEquals(List.of(ms.get(3), ms.get(4)), store.history(r1, 2, "c".repeat(40)));
            assertEquals(List.of(ms.get(2)), store.history(ms.get(2).key(), 5, COMMIT_B));
            assertEquals(List.of(ms.get(0), ms.get(3), ms.get(4), c), store.history(r1, 10, "bbbbbbb"),
                    "the full hash, not a prefix");
        }
    }

    @Test
    void exportThenImportIntoAFreshStoreGivesEqualMeasurementsOnce() throws Exception {
        List<Measurement> ms = SampleMeasurements.twoCommits();
        Path file = tmp.resolve("export").resolve("results.json");
        try (ResultStore store = openStore()) {
            store.saveAll(ms);
            ResultsJson.write(store.find(ResultQuery.all()), file);
        }
        try (ResultStore fresh = openOtherStore()) {
            assertEquals(ms.size(), fresh.importJson(file));
            assertEquals(ms, fresh.find(ResultQuery.all()));
            assertEquals(0, fresh.importJson(file), "a second import adds nothing");
            assertEquals(ms.size(), fresh.find(ResultQuery.all()).size());
        }
    }
}
