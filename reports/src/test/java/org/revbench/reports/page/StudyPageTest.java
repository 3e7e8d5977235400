package org.revbench.reports.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.SpecLoader;
import org.revbench.reports.Fixtures;
import org.revbench.reports.compare.ResultIndex;
import org.revbench.reports.study.MethodPoint;

/**
 * A study's page from measurements at paper scale (what a GPU or cluster run stores): one point per method, depth and
 * T, made from its image row and its event row, with a top-1 column per training dataset and sentences on both.
 */
class StudyPageTest {

    static final String SPEC = """
            study: demo
            table: t1
            title: "Methods head to head"
            source: "test"
            defaults:
              dataset: cifar10
              classes: 10
              timesteps: 4
              optimizer: {name: sgd, lr: 0.1, momentum: 0.9, weight_decay: 1.0e-4}
              schedule: {name: constant}
              epochs: 200
              batch: 32
              seeds: [1, 2, 3]
              columns: [memory, train_step, accuracy]
              latency: {batch: 8, forks: 1, warmup: 1, iterations: 1, seconds: 1}
            scales:
              cpu: {dataset: fashion-mnist, epochs: 1}
              smoke: {dataset: synthetic, epochs: 1}
            rows:
              - {id: plain, model: m1, label: "Plain", group: "depth 18", role: baseline}
              - {id: rev, model: m2, label: "Reversible", group: "depth 18"}
              - {id: plain-events, model: m1, label: "Plain", group: "depth 18", role: baseline, dataset: cifar10-dvs,
                 event_input: true, columns: [accuracy], scales: {cpu: {dataset: cifar10-dvs}}}
              - {id: rev-events, model: m2, label: "Reversible", group: "depth 18", dataset: cifar10-dvs,
                 event_input: true, columns: [accuracy], scales: {cpu: {dataset: cifar10-dvs}}}
            """;

    static List<Measurement> top1(String row, double... values) {
        List<Measurement> ms = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            ms.add(Fixtures.m(row, "paper", "top1", values[i], (long) i + 1, "2026-12-03T00:00:0" + i + "Z"));
        }
        return ms;
    }

    @Test
    void eachMethodIsOnePointWithATop1ColumnPerDatasetAtPaperScale() {
        ExperimentSpec spec = SpecLoader.read(SPEC, "demo/t1.yaml", m -> true);
        List<Measurement> ms = new java.util.ArrayList<>(List.of(
                Fixtures.m("plain", "paper", "mib_per_image", 100, null, "2026-12-03T00:00:00Z"),
                Fixtures.m("plain", "paper", "train_step_ms", 200, null, "2026-12-03T00:00:00Z"),
                Fixtures.m("rev", "paper", "mib_per_image", 40, null, "2026-12-03T00:00:00Z"),
                Fixtures.m("rev", "paper", "train_step_ms", 300, null, "2026-12-03T00:00:00Z")));
        ms.addAll(top1("plain", 90, 91, 92));
        ms.addAll(top1("rev", 91.5, 90.5, 91));
        ms.addAll(top1("plain-events", 70, 72, 74));
        ms.addAll(top1("rev-events", 65, 66, 67));
        StudyPage page = new StudyPage(spec, new ResultIndex(ms, List.of("paper", "cpu")));
        List<MethodPoint> points = page.study().points();
        assertEquals(2, points.size(), "the event rows join their methods' points");
        MethodPoint rev = points.get(1);
        assertEquals("rev", rev.row());
        assertEquals(40.0, rev.memory());
        assertEquals(List.of("cifar10", "cifar10-dvs"), List.copyOf(rev.top1().keySet()));
        assertEquals(66.0, rev.top1().get("cifar10-dvs").mean(), 1e-12);
        String adoc = page.adoc();
        assertTrue(adoc.contains("Measured at scale *paper*"), adoc);
        assertTrue(adoc.contains("Top-1 % cifar10 (seeds, min–max)") && adoc.contains("Top-1 % cifar10-dvs (seeds, min–max)"), adoc);
        assertTrue(adoc.contains("Top-1 on cifar10 at depth 18, T 4: Plain 91.0 % over 3 seeds (90.0 % to 92.0 %);"
                + " within that range: Reversible 91.0 %."), adoc);
        assertTrue(adoc.contains("Top-1 on cifar10-dvs at depth 18, T 4: Plain 72.0 % over 3 seeds (70.0 % to 74.0 %);"
                + " no method's mean falls within that range; below it: Reversible 66.0 %."), adoc);
        assertTrue(adoc.contains("Within half of Plain's memory"), "the memory sentences as at cpu scale");
    }
}
