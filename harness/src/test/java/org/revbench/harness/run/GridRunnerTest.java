package org.revbench.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.Provenance;
import org.revbench.harness.protocol.Protocol;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultQuery;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecLoader;

/**
 * What the grid reuses and what it measures again, and that concurrent runs on one store split the work: with a
 * stand-in protocol that counts its calls, so that only the runner's own logic is under test.
 */
class GridRunnerTest {

    static final String SPEC = """
            paper: test
            table: grid
            title: "grid"
            defaults:
              dataset: synthetic
              classes: 10
              timesteps: 2
              optimizer: {name: sgd, lr: 0.05, momentum: 0.9, weight_decay: 1.0e-4}
              schedule: {name: constant}
              epochs: 1
              batch: 4
              seeds: [7]
              columns: [params]
              latency: {batch: 1, forks: 1, iterations: 1, seconds: 1}
            rows:
              - {id: r1, model: ms-resnet18}
              - {id: r2, model: ms-resnet18}
              - {id: r3, model: ms-resnet18}
              - {id: r4, model: ms-resnet18}
            """;

    static final String COMMIT = "c".repeat(40);

    @TempDir
    Path tmp;

    static ExperimentSpec spec() {
        return SpecLoader.read(SPEC, "grid.yaml", m -> true);
    }

    /** A provenance of run {@code runId} at {@code commit} with tree state {@code tree}, made at {@code timestamp}. */
    static Provenance run(String runId, String commit, String tree, String timestamp) {
        return new Provenance(commit, !Provenance.CLEAN.equals(tree), tree, "17", "vm", "0.35.1", "2.7.1", "Linux",
                "cpu", "x86_64 GenuineIntel avx512", "glibc 2.36", 2, 2, null, runId, timestamp);
    }

    /** A protocol standing in for "static": one number per row, counting its calls. */
    static Function<String, Protocol> counting(AtomicInteger calls) {
        return name -> new Protocol() {
            @Override
            public String name() { return "static"; }

            @Override
            public List<Measurement> measure(org.revbench.harness.protocol.ProtocolContext c) {
                calls.incrementAndGet();
                return List.of(c.measurement("static", "params", 11_173_962, "count", null, Map.of()));
            }
        };
    }

    ResultStore store() {
        return ResultStore.open("jdbc:h2:file:" + tmp.resolve("db").resolve("results"), null, null);
    }

    GridRunner.Summary runOnce(Provenance p, AtomicInteger calls) {
        try (ResultStore store = store()) {
            return new GridRunner(store, p, new PrintWriter(new StringWriter()), tmp.resolve("work"), counting(calls))
                    .run(List.of(spec()), Scale.CPU);
        }
    }

    @Test
    void aRowIsReusedOnlyByTheSameCodeVersion() {
        AtomicInteger calls = new AtomicInteger();
        String t = "2026-01-01T10:00:00Z";
        GridRunner.Summary first = runOnce(run("run-1", COMMIT, Provenance.CLEAN, t), calls);
        assertEquals(4, first.ran());
        GridRunner.Summary again = runOnce(run("run-2", COMMIT, Provenance.CLEAN, t), calls);
        assertEquals(List.of(0, 4), List.of(again.ran(), again.skipped()), "the same commit, clean: nothing again");
        assertEquals(4, calls.get());

        // uncommitted changes: measured again, and once more for other changes, but not for the same ones
        assertEquals(4, runOnce(run("run-3", COMMIT, "0123456789abcdef", t), calls).ran());
        assertEquals(4, runOnce(run("run-4", COMMIT, "fedcba9876543210", t), calls).ran());
        assertEquals(0, runOnce(run("run-5", COMMIT, "fedcba9876543210", t), calls).ran());
        // another commit (an empty commit is one): measured again
        assertEquals(4, runOnce(run("run-6", "d".repeat(40), Provenance.CLEAN, t), calls).ran());
        // no git: the code version cannot be told, so nothing is ever reused, not even this machine's own numbers
        assertEquals(4, runOnce(run("run-7", Provenance.UNKNOWN, Provenance.UNKNOWN, t), calls).ran());
        assertEquals(4, runOnce(run("run-8", Provenance.UNKNOWN, Provenance.UNKNOWN, t), calls).ran());
        assertEquals(24, calls.get());
        try (ResultStore store = store()) {
            assertEquals(24, store.find(ResultQuery.all()).size(), "each measured number stored once");
        }
    }

    @Test
    void eachMeasurementCarriesTheMomentItWasMeasured() {
        Instant before = Instant.now().minusSeconds(1);
        runOnce(run("run-1", COMMIT, Provenance.CLEAN, "2020-01-01T00:00:00Z"), new AtomicInteger());
        try (ResultStore store = store()) {
            for (Measurement m : store.find(ResultQuery.all())) {
                assertNotEquals("2020-01-01T00:00:00Z", m.provenance().timestamp(), "not the run's start");
                assertTrue(!Instant.parse(m.provenance().timestamp()).isBefore(before.truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS)), m.provenance().timestamp());
                assertEquals("run-1", m.provenance().runId());
                assertEquals("x86_64 GenuineIntel avx512", m.provenance().machineClass());
            }
        }
    }

    @Test
    void everyMeasurementOfATaskCarriesItsDurationAndTheNextRunEstimatesFromThem() {
        // two numbers per task, as most protocols make
        Function<String, Protocol> two = name -> new Protocol() {
            @Override
            public String name() { return "static"; }

            @Override
            public List<Measurement> measure(org.revbench.harness.protocol.ProtocolContext c) {
                return List.of(c.measurement("static", "params", 11_173_962, "count", null, Map.of()),
                        c.measurement("static", "macs", 1_000, "MAC/img", null, Map.of()));
            }
        };
        StringWriter first = new StringWriter();
        try (ResultStore store = store()) {
            new GridRunner(store, run("run-1", COMMIT, Provenance.CLEAN, "2026-01-01T10:00:00Z"),
                    new PrintWriter(first), tmp.resolve("work"), two).run(List.of(spec()), Scale.CPU);
            List<Measurement> ms = store.find(ResultQuery.all());
            assertEquals(8, ms.size());
            for (String row : List.of("r1", "r2", "r3", "r4")) {
                List<Double> seconds = ms.stream().filter(m -> m.row().equals(row)).map(Measurement::taskSeconds)
                        .distinct().toList();
                assertEquals(1, seconds.size(), "one duration for both numbers of " + row + ": " + seconds);
                assertTrue(seconds.get(0) != null && seconds.get(0) >= 0, row + ": " + seconds);
            }
        }
        assertTrue(first.toString().contains("\nplanned 4 tasks: no durations of earlier runs stored to estimate from\n"),
                first.toString());

        StringWriter second = new StringWriter();
        try (ResultStore store = store()) {
            new GridRunner(store, run("run-2", "d".repeat(40), Provenance.CLEAN, "2026-01-02T10:00:00Z"),
                    new PrintWriter(second), tmp.resolve("work"), two).run(List.of(spec()), Scale.CPU);
        }
        String out = second.toString();
        assertTrue(out.matches("(?s).*\nplanned 4 tasks: about [^\n]+ \\(4 estimated from earlier runs' durations, 0 from"
                + " the protocol's mean\\)\n.*"), out);
        assertTrue(out.matches("(?s).*\n\\[1/4\\] test:grid r1 static \\(ms-resnet18\\)  \\[about [^\n]+ left\\]\n.*"),
                "the first task already shows the whole grid's time left: " + out);
    }

    @Test
    void concurrentRunsOnOneStoreSplitTheWorkAndStoreEachNumberOnce() throws Exception {
        // each run's first measurement waits until the other run is measuring too, so the two truly overlap
        CyclicBarrier bothMeasuring = new CyclicBarrier(2);
        AtomicInteger calls = new AtomicInteger();
        Function<String, Protocol> counting = counting(calls);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<GridRunner.Summary>> runs = new java.util.ArrayList<>();
            for (String id : List.of("run-a", "run-b")) {
                boolean[] first = {true};
                Function<String, Protocol> waiting = name -> new Protocol() {
                    @Override
                    public String name() { return "static"; }

                    @Override
                    public List<Measurement> measure(org.revbench.harness.protocol.ProtocolContext c) throws Exception {
                        if (first[0]) {
                            first[0] = false;
                            bothMeasuring.await(60, TimeUnit.SECONDS);
                        }
                        return counting.apply(name).measure(c);
                    }
                };
                runs.add(pool.submit(() -> {
                    try (ResultStore store = store()) {
                        return new GridRunner(store, run(id, COMMIT, Provenance.CLEAN, "2026-01-01T10:00:00Z"),
                                new PrintWriter(new StringWriter()), tmp.resolve("work"), waiting)
                                .run(List.of(spec()), Scale.CPU);
                    }
                }));
            }
            GridRunner.Summary a = runs.get(0).get(120, TimeUnit.SECONDS);
            GridRunner.Summary b = runs.get(1).get(120, TimeUnit.SECONDS);
            assertEquals(List.of(), a.failures());
            assertEquals(List.of(), b.failures());
            assertTrue(a.ran() >= 1 && b.ran() >= 1, "both measured: " + a + " " + b);
            assertEquals(4, a.ran() + b.ran(), "every row measured by exactly one run: " + a + " " + b);
            assertEquals(4, calls.get());
        } finally {
            pool.shutdownNow();
        }
        try (ResultStore store = store()) {
            List<Measurement> all = store.find(ResultQuery.all());
            assertEquals(4, all.size());
            assertEquals(4, all.stream().map(Measurement::row).distinct().count());
        }
    }
}
