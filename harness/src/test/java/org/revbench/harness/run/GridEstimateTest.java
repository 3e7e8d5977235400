package org.revbench.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecLoader;

/**
 * The grid's estimate of its time left, from durations stored with earlier measurements and those measured in the
 * run: exact numbers given in, no clock.
 */
class GridEstimateTest {

    /** Three rows, each measured by static, memory and latency (in that order: r1 static, r1 memory, r1 latency, ...). */
    static final String SPEC = GridRunnerTest.SPEC.replace("columns: [params]", "columns: [params, memory, inference]")
            .replace("  - {id: r4, model: ms-resnet18}\n", "");

    @TempDir
    Path tmp;

    static ExperimentSpec spec() {
        return SpecLoader.read(SPEC, "grid.yaml", m -> true);
    }

    static Measurement stored(String table, String row, String scale, String protocol, String commit, String timestamp,
                              Double seconds) {
        return new Measurement(table, row, "ms-resnet18", scale, protocol, "params", 1, "count", null, "h", Map.of(),
                GridRunnerTest.run("run-" + commit.charAt(0), commit, Provenance.CLEAN, timestamp), seconds);
    }

    @Test
    void eachTaskIsEstimatedFromItsNewestStoredDurationOrItsProtocolsMeanOrTheMeanOfAll() {
        List<GridRunner.Task> tasks = GridRunner.plan(List.of(spec()), Scale.CPU, id -> true, new ArrayList<>());
        assertEquals(List.of("r1 static", "r1 memory", "r1 latency", "r2 static", "r2 memory", "r2 latency",
                "r3 static", "r3 memory", "r3 latency"), tasks.stream().map(t -> t.row().id() + " " + t.protocol())
                .toList());
        String a = "a".repeat(40);
        String b = "b".repeat(40);
        String c = "c".repeat(40);
        GridEstimate e;
        try (ResultStore store = ResultStore.open("jdbc:h2:file:" + tmp.resolve("db").resolve("results"), null, null)) {
            store.saveAll(List.of(
                    // r1 static: 10 s at commit a, then 20 s at commit b; commit c's newer number has no duration
                    stored("test:grid", "r1", "cpu", "static", a, "2026-01-01T10:00:00Z", 10.0),
                    stored("test:grid", "r1", "cpu", "static", b, "2026-01-02T10:00:00Z", 20.0),
                    stored("test:grid", "r1", "cpu", "static", c, "2026-01-03T10:00:00Z", null),
                    // another scale and another table are other tasks
                    stored("test:grid", "r1", "smoke", "static", c, "2026-01-04T10:00:00Z", 99.0),
                    stored("test:other", "r1", "cpu", "static", c, "2026-01-04T10:00:00Z", 99.0),
                    stored("test:grid", "r2", "cpu", "static", a, "2026-01-01T10:00:00Z", 30.0),
                    stored("test:grid", "r1", "cpu", "memory", a, "2026-01-01T10:00:00Z", 4.0)));
            assertEquals(20.0, store.lastTaskSeconds("test:grid", "r1", "cpu", "static").getAsDouble());
            assertTrue(store.lastTaskSeconds("test:grid", "r3", "cpu", "static").isEmpty());
            e = GridEstimate.fromStore(store, tasks, Scale.CPU);
        }
        // static: 20, 30 stored, r3 the mean 25; memory: 4 stored, r2 and r3 its mean; latency: none stored, the mean
        // of all stored (20 + 30 + 4) / 3 = 18
        double[] expected = {20, 4, 18, 30, 4, 18, 25, 4, 18};
        assertEquals(Arrays.toString(expected), Arrays.toString(priors(e)));
        assertEquals(List.of(GridEstimate.Source.EARLIER_RUN, GridEstimate.Source.EARLIER_RUN,
                GridEstimate.Source.MEAN_OF_ALL, GridEstimate.Source.EARLIER_RUN, GridEstimate.Source.PROTOCOL_MEAN,
                GridEstimate.Source.MEAN_OF_ALL, GridEstimate.Source.PROTOCOL_MEAN, GridEstimate.Source.PROTOCOL_MEAN,
                GridEstimate.Source.MEAN_OF_ALL), sources(e));
        assertEquals(141.0, e.total().getAsDouble());
        assertEquals("planned 9 tasks: about 2m21s (3 estimated from earlier runs' durations, 3 from the protocol's"
                + " mean, 3 from the mean of all protocols)", GridRunner.planned(e));
        assertEquals("  [about 2m21s left]", GridRunner.eta(e, 0));

        // r1 static took 30 s (estimated 20), r1 memory 6 s (estimated 4): the rest is 1.5 times its estimate
        e.measured(0, 30);
        e.measured(1, 6);
        assertEquals(1.5, e.ratio());
        assertEquals((141 - 20 - 4) * 1.5, e.left(2).getAsDouble(), 1e-9);
        // r1 latency was left to another run (nothing measured): past, it counts as zero and corrects nothing
        assertEquals((141 - 20 - 4 - 18) * 1.5, e.left(3).getAsDouble(), 1e-9);
        assertEquals("  [about 2m29s left]", GridRunner.eta(e, 3)); // 148.5 s
        // a faster machine: r2 static took 12 s of 30; (30 + 6 + 12) / (20 + 4 + 30) = 48 / 54
        e.measured(3, 12);
        assertEquals((4 + 18 + 25 + 4 + 18) * 48.0 / 54.0, e.left(4).getAsDouble(), 1e-9);
        assertEquals(0.0, e.left(9).getAsDouble(), "nothing left after the last task");
    }

    @Test
    void withoutStoredDurationsTheTimeLeftIsThisRunsMeanPerProtocol() {
        List<String> protocols = List.of("static", "memory", "latency", "static", "memory", "latency");
        GridEstimate e = GridEstimate.of(protocols, Arrays.asList(null, null, null, null, null, null));
        assertEquals(6, e.count(GridEstimate.Source.NONE));
        assertTrue(e.total().isEmpty());
        assertEquals("planned 6 tasks: no durations of earlier runs stored to estimate from", GridRunner.planned(e));
        assertEquals("", GridRunner.eta(e, 0), "nothing to tell before the first task is measured");
        e.measured(0, 10);
        e.measured(1, 4);
        // latency has no measured task yet: the mean of all measured, (10 + 4) / 2
        assertEquals(7 + 10 + 4 + 7, e.left(2).getAsDouble(), 1e-9);
        assertEquals("  [about 28 s left]", GridRunner.eta(e, 2));
        e.measured(2, 40);
        assertEquals(10 + 4 + 40, e.left(3).getAsDouble(), 1e-9);
    }

    @Test
    void oneStoredDurationEstimatesEveryTaskAndTheRatioStartsAtOne() {
        GridEstimate e = GridEstimate.of(List.of("train", "train", "static"), Arrays.asList(null, 600.0, null));
        assertEquals("[600.0, 600.0, 600.0]", Arrays.toString(priors(e)));
        assertEquals(1.0, e.ratio());
        assertEquals("planned 3 tasks: about 30m00s (1 estimated from earlier runs' durations, 1 from the protocol's"
                + " mean, 1 from the mean of all protocols)", GridRunner.planned(e));
        GridEstimate one = GridEstimate.of(List.of("static"), Arrays.asList(5.0));
        assertEquals("planned 1 task: about 5 s (1 estimated from earlier runs' durations, 0 from the protocol's mean)",
                GridRunner.planned(one));
        // stored durations of zero (a task faster than a millisecond) leave the estimates as they are
        GridEstimate zero = GridEstimate.of(List.of("static", "static"), Arrays.asList(0.0, 0.0));
        zero.measured(0, 0.4);
        assertEquals(1.0, zero.ratio());
        assertEquals(0.0, zero.left(1).getAsDouble());
    }

    private static double[] priors(GridEstimate e) {
        double[] p = new double[e.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = e.prior(i);
        }
        return p;
    }

    private static List<GridEstimate.Source> sources(GridEstimate e) {
        List<GridEstimate.Source> s = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            s.add(e.source(i));
        }
        return s;
    }
}
