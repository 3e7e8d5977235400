package org.revbench.reports.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Pareto front and the generated sentences of a study, on numbers made up for the test. */
class HeadToHeadTest {

    static MethodPoint p(String method, int t, String role, Double memory, Double stepMs) {
        return new MethodPoint(method, "18", t, role, method.toLowerCase() + "-t" + t, memory, stepMs, null, null, null,
                java.util.Map.of(), null);
    }

    static final HeadToHead STUDY = new HeadToHead(List.of(
            p("Plain", 2, "baseline", 50.0, 100.0),
            p("Plain", 4, "baseline", 100.0, 200.0),
            p("Plain", 8, "baseline", 200.0, 400.0),
            p("Checkpoint", 4, "alternative", 70.0, 260.0),
            p("Checkpoint", 2, "alternative", 40.0, 130.0),
            p("Checkpoint", 8, "alternative", 130.0, 520.0),
            p("Reversible", 4, null, 40.0, 300.0),
            p("Reversible", 2, null, 30.0, 150.0),
            p("Reversible", 8, null, 50.0, 600.0),
            p("Dominated", 4, null, 80.0, 320.0),   // more memory and more time than Checkpoint
            p("Untimed", 4, null, 45.0, null)));

    @Test
    void theFrontHoldsTheMethodsNoOtherBeatsInBoth() {
        assertEquals(4, STUDY.referenceTimesteps());
        assertEquals(List.of("Reversible", "Checkpoint", "Plain"),
                STUDY.front("18", 4).stream().map(MethodPoint::method).toList());
        assertEquals("Reversible", STUDY.fastestWithin("18", 4, 50).orElseThrow().method());
        assertEquals("Checkpoint", STUDY.fastestWithin("18", 4, 75).orElseThrow().method());
        assertTrue(STUDY.fastestWithin("18", 4, 39).isEmpty());
    }

    @Test
    void theSentencesAreMadeFromTheNumbers() {
        assertEquals(List.of(
                "At depth 18, T 4, the Pareto front of memory against step time holds 3 of 4 methods: Reversible (40.0"
                        + " MiB/img, 300 ms); Checkpoint (70.0 MiB/img, 260 ms); Plain (100.0 MiB/img, 200 ms). Each other"
                        + " method needs more memory or more time than one of these.",
                "Within half of Plain's memory (50.0 MiB/img), the fastest method on this machine is Reversible: 300 ms"
                        + " per step, 1.50x Plain's time.",
                "At depth 18, T 4, the least memory: Reversible, 40.0 MiB/img, 60 % less memory than Plain at 1.50x its"
                        + " step time.",
                "Checkpoint: 30 % less memory than Plain at 1.30x its step time.",
                "Reversible: 60 % less memory than Plain at 1.50x its step time; against Checkpoint, 43 % less memory at"
                        + " 1.15x its step time.",
                "Dominated: 20 % less memory than Plain at 1.60x its step time; against Checkpoint, 14 % more memory at"
                        + " 1.23x its step time.",
                "Untimed: 55 % less memory than Plain; against Checkpoint, 36 % less memory.",
                "From T 2 to T 8 at depth 18, memory per image grows Plain x4.00, Checkpoint x3.25, Reversible x1.67;"
                        + " least for Reversible."), STUDY.sentences("18"));
        assertEquals("Within half of Plain's memory (50.0 MiB/img), the fastest method on this machine is Reversible:"
                + " 300 ms per step, 1.50x Plain's time.", STUDY.headline("18"));
    }

    @Test
    void withoutStepTimesOnlyMemoryIsSpokenOf() {
        HeadToHead memoryOnly = new HeadToHead(List.of(p("Plain", 4, "baseline", 100.0, null), p("Reversible", 4, null, 25.0, null)));
        assertEquals(List.of("At depth 18, T 4, the least memory: Reversible, 25.0 MiB/img, 75 % less memory than Plain.",
                "Reversible: 75 % less memory than Plain."), memoryOnly.sentences("18"));
        assertEquals("At depth 18, T 4, the least memory: Reversible, 25.0 MiB/img, 75 % less memory than Plain.",
                memoryOnly.headline("18"));
        assertEquals(List.of("Nothing is measured at depth 34, T 4 yet."), memoryOnly.sentences("34"));
    }
}
