package org.revbench.harness.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.harness.result.SampleMeasurements.COMMIT_A;
import static org.revbench.harness.result.SampleMeasurements.COMMIT_B;
import static org.revbench.harness.result.SampleMeasurements.TABLE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.revbench.harness.Provenance;
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
            // oldest first, every field equal: null seed, nested details as doubles, null provenance fields
            assertEquals(ms, store.find(ResultQuery.all()));
            assertEquals("tcmalloc (libtcmalloc_minimal.so.4.5.10)",
                    store.find(ResultQuery.all().withCommit(COMMIT_B)).get(0).provenance().allocator());
            assertEquals(null, store.find(ResultQuery.all().withCommit(COMMIT_A)).get(0).provenance().allocator());
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
    void hasAnswersPerCodeVersionAndSpecHash() {
        Provenance cleanA = SampleMeasurements.provenance(COMMIT_A, "2025-02-01T10:00:00Z", null);
        Provenance cleanB = SampleMeasurements.provenance(COMMIT_B, "2025-02-01T10:00:00Z", null);
        try (ResultStore store = openStore()) {
            store.saveAll(SampleMeasurements.twoCommits());
            assertTrue(store.has(TABLE, "r2", "cpu", "memory", cleanA, "spec-r2"));
            assertFalse(store.has(TABLE, "r2", "cpu", "memory", cleanB, "spec-r2"), "r2 was not run at B");
            assertFalse(store.has(TABLE, "r2", "cpu", "memory", cleanA, "changed-spec"));
            assertFalse(store.has(TABLE, "r2", "paper", "memory", cleanA, "spec-r2"));
            // uncommitted changes are another code version: neither takes the other's numbers
            Provenance dirtyA = SampleMeasurements.withTree(cleanA, "0123456789abcdef");
            assertFalse(store.has(TABLE, "r2", "cpu", "memory", dirtyA, "spec-r2"), "a dirty tree is not its commit");
            store.save(SampleMeasurements.withProvenance(SampleMeasurements.memory("r4", COMMIT_A, "2025-02-01T10:00:00Z",
                    2.0), dirtyA));
            assertTrue(store.has(TABLE, "r4", "cpu", "memory", dirtyA, "spec-r4"));
            assertFalse(store.has(TABLE, "r4", "cpu", "memory", cleanA, "spec-r4"), "nor is a commit its dirty tree");
            assertFalse(store.has(TABLE, "r4", "cpu", "memory", SampleMeasurements.withTree(cleanA, "fedcba9876543210"),
                    "spec-r4"), "other changes are another code version");
            // a code version that cannot be told (no git) never reuses anything, even its own earlier numbers
            Provenance noGit = new Provenance(Provenance.UNKNOWN, null, "17", "vm", "0.35.1", "2.7.1", "Linux", "cpu", 2,
                    2, null, "2025-02-01T10:00:00Z");
            store.save(SampleMeasurements.withProvenance(SampleMeasurements.memory("r5", COMMIT_A, "2025-02-01T10:00:00Z",
                    2.0), noGit));
            assertFalse(store.has(TABLE, "r5", "cpu", "memory", noGit, "spec-r5"));
        }
    }

    @Test
    void aMeasurementIsStoredOnceWhateverItsValueAndMoment() {
        Measurement m = SampleMeasurements.memory("r1", COMMIT_A, "2025-01-01T10:00:00Z", 29.64);
        Measurement again = SampleMeasurements.memory("r1", COMMIT_A, "2025-01-01T11:30:00Z", 29.70);
        Measurement other = SampleMeasurements.memory("r2", COMMIT_A, "2025-01-01T11:30:00Z", 29.70);
        try (ResultStore store = openStore()) {
            assertTrue(store.save(m));
            assertFalse(store.save(again), "the same identity (key, code version, spec) is stored once");
            assertFalse(store.saveAll(List.of(other, again)), "all or none: the task's other number is not stored");
            assertEquals(List.of(m), store.find(ResultQuery.all()));
            assertTrue(store.saveAll(List.of(other)));
        }
    }

    @Test
    void aNumberThatIsNotAMeasurementIsNotStored() {
        try (ResultStore store = openStore()) {
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                    () -> store.save(SampleMeasurements.memory("r1", COMMIT_A, "2025-01-01T10:00:00Z", Double.NaN)));
            assertTrue(nan.getMessage().contains("NaN") && nan.getMessage().contains("mib_per_image"), nan.getMessage());
            assertEquals(List.of(), store.find(ResultQuery.all()));
        }
    }

    @Test
    void aClaimKeepsOtherLiveRunsOffATaskUntilReleased() throws Exception {
        Provenance run1 = SampleMeasurements.run("run-1");
        Provenance run2 = SampleMeasurements.run("run-2");
        long hour = 3_600_000L;
        try (ResultStore one = openStore(); ResultStore two = openStore()) {
            assertEquals(Optional.empty(), one.claim("task-a", "t r static", run1, hour));
            assertEquals(Optional.empty(), one.claim("task-a", "t r static", run1, hour), "a run's own claim is its");
            Optional<MeasurementStore.Claim> held = two.claim("task-a", "t r static", run2, hour);
            assertTrue(held.isPresent(), "held by a live process of this host");
            assertEquals("run-1", held.get().runId());
            assertEquals(ProcessHandle.current().pid(), held.get().pid());
            assertEquals(Optional.empty(), two.claim("task-b", "t r memory", run2, hour), "other tasks are free");
            one.release("task-a", "run-2"); // only the holder releases
            assertTrue(two.claim("task-a", "t r static", run2, hour).isPresent());
            one.release("task-a", "run-1");
            assertEquals(Optional.empty(), two.claim("task-a", "t r static", run2, hour));
        }
    }

    @Test
    void aClaimOfADeadRunIsTakenOver() throws Exception {
        Provenance run1 = SampleMeasurements.run("run-1");
        Provenance run2 = SampleMeasurements.run("run-2");
        long hour = 3_600_000L;
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        try (ResultStore store = openStore()) {
            // a process of this host that has ended: its claim is free at once
            assertEquals(Optional.empty(), store.claim("task-a", "d", run1, hour, ResultStore.host(), gone.pid()));
            assertEquals(Optional.empty(), store.claim("task-a", "d", run2, hour));
            // another host's run: free once its heartbeat is older than the stale limit
            assertEquals(Optional.empty(), store.claim("task-b", "d", run1, hour, "other-host", 1));
            assertTrue(store.claim("task-b", "d", run2, hour).isPresent(), "its heartbeat is fresh");
            assertEquals(Optional.empty(), store.claim("task-b", "d", run2, -1), "its heartbeat is older than -1 ms");
            assertEquals("run-2", store.claim("task-b", "d", run1, hour).orElseThrow().runId());
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
        assertTrue(Files.readString(file).contains("\"allocator\": \"tcmalloc (libtcmalloc_minimal.so.4.5.10)\""));
        assertEquals(ms, ResultsJson.read(file));
        try (ResultStore fresh = openOtherStore()) {
            assertEquals(ms.size(), fresh.importJson(file));
            assertEquals(ms, fresh.find(ResultQuery.all()));
            assertEquals(0, fresh.importJson(file), "a second import adds nothing");
            assertEquals(ms.size(), fresh.find(ResultQuery.all()).size());
        }
    }

    @Test
    void aTaskDurationRoundTripsThroughTheStoreAndJsonAndTheNewestIsTheLastOne() throws Exception {
        Measurement older = SampleMeasurements.memory("r1", COMMIT_A, "2025-01-01T10:00:00Z", 29.64).withTaskSeconds(12.345);
        Measurement newer = SampleMeasurements.memory("r1", COMMIT_B, "2025-01-02T10:00:00Z", 23.64).withTaskSeconds(7.5);
        Measurement newest = SampleMeasurements.memory("r1", "c".repeat(40), "2025-01-03T10:00:00Z", 23.6);
        Measurement other = SampleMeasurements.memory("r2", COMMIT_B, "2025-01-04T10:00:00Z", 31.5).withTaskSeconds(0.0);
        List<Measurement> ms = List.of(older, newer, newest, other);
        Path file = tmp.resolve("durations.json");
        try (ResultStore store = openStore()) {
            assertTrue(store.saveAll(ms));
            assertEquals(ms, store.find(ResultQuery.all()), "durations, and their absence, come back");
            assertEquals(12.345, store.find(ResultQuery.all().withCommit(COMMIT_A)).get(0).taskSeconds());
            assertEquals(null, store.find(ResultQuery.all().withCommit("c".repeat(40))).get(0).taskSeconds());
            // the newest measurement of the task that has a duration, whatever its commit
            assertEquals(7.5, store.lastTaskSeconds(TABLE, "r1", "cpu", "memory").getAsDouble());
            assertEquals(0.0, store.lastTaskSeconds(TABLE, "r2", "cpu", "memory").getAsDouble());
            assertTrue(store.lastTaskSeconds(TABLE, "r1", "smoke", "memory").isEmpty());
            assertTrue(store.lastTaskSeconds(TABLE, "r1", "cpu", "static").isEmpty());
            ResultsJson.write(store.find(ResultQuery.all()), file);
        }
        String text = Files.readString(file);
        assertTrue(text.contains("\"task_seconds\": 12.345"), text);
        assertEquals(3, text.split("\"task_seconds\"", -1).length - 1, "written only where there is one: " + text);
        assertEquals(ms, ResultsJson.read(file));
        try (ResultStore fresh = openOtherStore()) {
            assertEquals(4, fresh.importJson(file));
            assertEquals(ms, fresh.find(ResultQuery.all()));
            assertEquals(7.5, fresh.lastTaskSeconds(TABLE, "r1", "cpu", "memory").getAsDouble());
        }
    }
}
