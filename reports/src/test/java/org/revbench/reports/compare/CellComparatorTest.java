package org.revbench.reports.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.reports.Fixtures.m;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.SpecRow;
import org.revbench.reports.Fixtures;
import org.revbench.reports.reference.Claim;
import org.revbench.reports.reference.ColumnPolicy;
import org.revbench.reports.reference.PaperReference;
import org.revbench.reports.reference.ReferenceLoader;
import org.revbench.reports.reference.ReferenceValue;

class CellComparatorTest {

    private static final Map<String, ColumnPolicy> COLUMNS = ReferenceLoader.read(ReferenceLoader.COLUMNS);
    private final ExperimentSpec spec = Fixtures.spec();
    private final SpecRow a = spec.row("a").orElseThrow();
    private final SpecRow b = spec.row("b").orElseThrow();
    private final SpecRow c = spec.row("c").orElseThrow();

    private static ReferenceValue paper(String row, String column, double v, String unit) {
        return new ReferenceValue("t1", row, column, v, unit, "Table 1", null);
    }

    private Cell cell(List<org.revbench.harness.result.Measurement> ms, List<String> scales, SpecRow row, String column,
                      ReferenceValue paper) {
        return new CellComparator(new ResultIndex(ms, scales)).compare(spec, row, COLUMNS.get(column), paper);
    }

    @Test
    void architectureColumnsCompareAtEveryScaleInThePapersUnit() {
        var ms = List.of(m("a", "cpu", "params", 11_220_132, null, "t1"), m("a", "cpu", "mib_per_image", 41.46, null, "t1"));
        Cell params = cell(ms, List.of("paper", "cpu"), a, "params", paper("a", "params", 11.22, "M"));
        assertEquals(CellStatus.REPRODUCED, params.status());
        assertEquals(11.220132, params.value(), 1e-12);
        assertEquals("cpu", params.ours().scale());
        // 41.46 against 58.88 is 30 % off: beyond both memory tolerances (10 %, 25 %)
        Cell memory = cell(ms, List.of("paper", "cpu"), a, "memory", paper("a", "memory", 58.88, "MB/img"));
        assertEquals(CellStatus.DIFFERS, memory.status());
        assertEquals(41.46 / 58.88, memory.ratio(), 1e-12);
        Cell close = cell(ms, List.of("paper", "cpu"), a, "memory", paper("a", "memory", 50.0, "MB/img"));
        assertEquals(CellStatus.WITHIN_TOLERANCE, close.status());
        Cell same = cell(ms, List.of("paper", "cpu"), a, "memory", paper("a", "memory", 40.0, "MB/img"));
        assertEquals(CellStatus.REPRODUCED, same.status());
    }

    @Test
    void accuracyComparesOnlyAtPaperScaleAndAveragesTheSeeds() {
        var cpu = List.of(m("a", "cpu", "top1", 40, 1L, "t1"), m("a", "cpu", "top1", 50, 2L, "t1"));
        Cell reduced = cell(cpu, List.of("paper", "cpu"), a, "accuracy", paper("a", "accuracy", 94.33, "%"));
        assertEquals(CellStatus.NOT_COMPARABLE, reduced.status());
        assertEquals(45, reduced.value(), 1e-12);
        assertEquals(2, reduced.ours().seeds());
        assertTrue(reduced.reason().contains("scale cpu: a reduced protocol"), reduced.reason());
        var full = List.of(m("a", "paper", "top1", 94.1, 1L, "t1"), m("a", "paper", "top1", 94.3, 2L, "t1"),
                m("a", "cpu", "top1", 40, 1L, "t1"));
        Cell atPaper = cell(full, List.of("paper", "cpu"), a, "accuracy", paper("a", "accuracy", 94.33, "%"));
        assertEquals("paper", atPaper.ours().scale());
        assertEquals(CellStatus.REPRODUCED, atPaper.status());
        Cell lower = cell(List.of(m("a", "paper", "top1", 93.3, 1L, "t1")), List.of("paper"), a, "accuracy",
                paper("a", "accuracy", 94.33, "%"));
        assertEquals(CellStatus.WITHIN_TOLERANCE, lower.status());
        assertEquals(93.3 - 94.33, lower.difference(), 1e-12);
    }

    @Test
    void hardwareTimesAreNeverComparedInAbsoluteTerms() {
        Cell t = cell(List.of(m("a", "paper", "inference_us_per_image", 12.2, null, "t1")), List.of("paper"), a, "inference",
                paper("a", "inference", 12.19, "us/img"));
        assertEquals(CellStatus.NOT_COMPARABLE, t.status());
        assertTrue(t.reason().contains("hardware"));
    }

    @Test
    void aMissingMeasurementSaysWhy() {
        Cell declared = cell(List.of(), List.of("paper", "cpu"), c, "accuracy", paper("c", "accuracy", 90, "%"));
        assertEquals(CellStatus.NOT_RUN, declared.status());
        assertEquals("scale cpu: needs the real files", declared.reason());
        Cell dropped = cell(List.of(), List.of("paper", "cpu"), b, "accuracy", paper("b", "accuracy", 90, "%"));
        assertEquals("scale cpu does not run this column: a reduced protocol", dropped.reason());
        Cell pending = cell(List.of(), List.of("paper", "cpu"), a, "memory", paper("a", "memory", 9, "MB/img"));
        assertTrue(pending.reason().startsWith("not measured yet: `revbench run --table demo:t1 --row a --scale cpu`"),
                pending.reason());
    }

    @Test
    void oursMayComeFromAnotherRowOfTheSameArchitecture() {
        var ms = List.of(m("a", "cpu", "mib_per_image", 40.0, null, "t1"));
        ReferenceValue v = new ReferenceValue("t1", "b", "memory", 40.0, "MB/img", "Table 1", "a");
        Cell cellOfB = cell(ms, List.of("cpu"), b, "memory", v);
        assertEquals(CellStatus.REPRODUCED, cellOfB.status());
        assertEquals("model-a", cellOfB.ours().measurements().get(0).model());
        Cell noPaper = cell(ms, List.of("cpu"), a, "memory", null);
        assertEquals(CellStatus.OURS_ONLY, noPaper.status());
        assertNull(noPaper.reason());
    }

    @Test
    void theLatestMeasurementOfEachSeedAtTheBestScaleCounts() {
        var ms = List.of(m("a", "cpu", "top1", 10, 1L, "2026-01-01T00:00:00Z"), m("a", "cpu", "top1", 30, 1L, "2026-01-02T00:00:00Z"),
                m("a", "cpu", "top1", 50, 2L, "2026-01-01T00:00:00Z"), m("a", "smoke", "top1", 99, 1L, "2026-01-03T00:00:00Z"));
        Ours o = new ResultIndex(ms, List.of("cpu", "smoke")).ours("demo:t1", "a", "top1").orElseThrow();
        assertEquals(40, o.mean(), 1e-12);
        assertEquals(30, o.min(), 1e-12);
        assertEquals("cpu", o.scale());
        assertTrue(new ResultIndex(ms, List.of("paper")).ours("demo:t1", "a", "top1").isEmpty());
    }

    @Test
    void aClaimIsJudgedOnRatiosInItsDirection() {
        String yaml = Fixtures.REFERENCE_HEAD + """
                values:
                  - {table: t1, row: a, column: memory, value: 10.0, unit: MB/img, source: "Table 1"}
                  - {table: t1, row: b, column: memory, value: 20.0, unit: MB/img, source: "Table 1"}
                  - {table: t1, row: a, column: inference, value: 8.0, unit: us/img, source: "Table 1"}
                  - {table: t1, row: b, column: inference, value: 10.0, unit: us/img, source: "Table 1"}
                claims:
                  - {id: mem, text: "A needs half of B", table: t1, numerator: a, denominator: b, column: memory, target: 0.6}
                  - {id: inf, text: "A is faster", table: t1, numerator: a, denominator: b, column: inference, target: 0.9}
                """;
        PaperReference ref = ReferenceLoader.read(yaml, "demo.yaml", COLUMNS);
        Claim mem = ref.claims().get(0);
        Claim inf = ref.claims().get(1);
        java.util.function.BiFunction<List<org.revbench.harness.result.Measurement>, Claim, ClaimResult> judge =
                (ms, claim) -> new ClaimComparator(new CellComparator(new ResultIndex(ms, List.of("paper", "cpu"))))
                        .compare(ref, spec, claim);
        // 0.4 against the paper's 0.5 is 25 % further in the claim's direction: the claim holds, stronger than the
        // paper, which is not a reproduction (two-sided); target met
        ClaimResult better = judge.apply(List.of(m("a", "cpu", "mib_per_image", 8, null, "t"), m("b", "cpu", "mib_per_image", 20, null, "t")), mem);
        assertEquals(0.4, better.oursRatio(), 1e-12);
        assertEquals(CellStatus.STRONGER, better.status());
        assertEquals("stronger", better.direction());
        assertEquals("25.0 %", better.magnitude());
        assertEquals(Boolean.TRUE, better.targetMet());
        // 0.49: 2 % stronger, within 5 %: reproduced
        ClaimResult close = judge.apply(List.of(m("a", "cpu", "mib_per_image", 9.8, null, "t"), m("b", "cpu", "mib_per_image", 20, null, "t")), mem);
        assertEquals(CellStatus.REPRODUCED, close.status());
        // 0.45: 10 % stronger: within tolerance either way
        ClaimResult nearStronger = judge.apply(List.of(m("a", "cpu", "mib_per_image", 9, null, "t"), m("b", "cpu", "mib_per_image", 20, null, "t")), mem);
        assertEquals(CellStatus.WITHIN_TOLERANCE, nearStronger.status());
        // far stronger: a factor, not a percentage
        ClaimResult far = judge.apply(List.of(m("a", "cpu", "mib_per_image", 1, null, "t"), m("b", "cpu", "mib_per_image", 20, null, "t")), mem);
        assertEquals(CellStatus.STRONGER, far.status());
        assertEquals("×10.0", far.magnitude());
        // 0.55 is 10 % worse than 0.5: within tolerance
        ClaimResult near = judge.apply(List.of(m("a", "cpu", "mib_per_image", 11, null, "t"), m("b", "cpu", "mib_per_image", 20, null, "t")), mem);
        assertEquals(CellStatus.WITHIN_TOLERANCE, near.status());
        assertEquals("weaker", near.direction());
        assertEquals("10.0 %", near.magnitude());
        // 1.06 against 0.8: differs, target missed
        ClaimResult slower = judge.apply(List.of(m("a", "cpu", "inference_us_per_image", 106, null, "t"),
                m("b", "cpu", "inference_us_per_image", 100, null, "t")), inf);
        assertEquals(CellStatus.DIFFERS, slower.status());
        assertEquals(Boolean.FALSE, slower.targetMet());
        // the two sides at different scales are not one run
        ClaimResult mixed = judge.apply(List.of(m("a", "paper", "mib_per_image", 8, null, "t"), m("b", "cpu", "mib_per_image", 20, null, "t")), mem);
        assertEquals(CellStatus.NOT_RUN, mixed.status());
        ClaimResult missing = judge.apply(List.of(m("a", "cpu", "mib_per_image", 8, null, "t")), mem);
        assertEquals(CellStatus.NOT_RUN, missing.status());
        assertTrue(missing.detail().contains("of b"), missing.detail());
    }

    @Test
    void aClaimStatedInWordsCarriesItsOwnRatioAndDirection() {
        String yaml = Fixtures.REFERENCE_HEAD + """
                values: []
                claims:
                  - {id: less, text: "B needs 50x the memory of A", table: t1, numerator: b, denominator: a, column: memory,
                     paper_ratio: 50.0, better: higher, target: 30, source: "Section 5"}
                """;
        PaperReference ref = ReferenceLoader.read(yaml, "demo.yaml", COLUMNS);
        ClaimComparator judge = new ClaimComparator(new CellComparator(new ResultIndex(
                List.of(m("a", "cpu", "mib_per_image", 1, null, "t"), m("b", "cpu", "mib_per_image", 40, null, "t")),
                List.of("cpu"))));
        ClaimResult r = judge.compare(ref, spec, ref.claims().get(0));
        assertEquals(50.0, r.paperRatio());
        assertEquals(40.0, r.oursRatio(), 1e-12);
        // 40x against 50x, higher being better: 25 % short, beyond the 15 % of "within tolerance"
        assertEquals(CellStatus.DIFFERS, r.status());
        assertEquals(Boolean.TRUE, r.targetMet());
        assertThrows(org.revbench.reports.reference.ReferenceException.class, () -> ReferenceLoader.read(
                yaml.replace(", source: \"Section 5\"", ""), "demo.yaml", COLUMNS));
    }

    @Test
    void theTimeStepsColumnIsOurConfigurationNeverAReproduction() {
        Cell t = cell(List.of(), List.of("paper", "cpu"), a, "timesteps", paper("a", "timesteps", 4, ""));
        assertEquals(CellStatus.CONFIGURATION, t.status());
        assertTrue(!t.status().isComparison());
        Tally tally = new Tally();
        tally.add(t.status());
        tally.add(CellStatus.CHECK_PASSED);
        tally.add(CellStatus.REPRODUCED);
        tally.add(CellStatus.NOT_RUN);
        assertEquals(1, tally.comparisons());
        assertEquals("1 compared with a number the paper printed (1 reproduced); not compared: 1 not run; "
                + "self-checks: 1 check passed, 0 check failed; 1 configuration (our own settings, not counted)", tally.toString());
    }

    @Test
    void memoryMeasuredInAnotherPrecisionIsNotComparedCellByCellForAnyPaper() {
        var ms = List.of(m("a", "cpu", "mib_per_image", 40.0, null, "t1"), m("a", "cpu", "params", 11_220_132, null, "t1"));
        ResultIndex index = new ResultIndex(ms, List.of("paper", "cpu"));
        CellComparator mixed = new CellComparator(index, new PaperReference.Precision("mixed-float16", "Sec. 5"));
        Cell memory = mixed.compare(spec, a, COLUMNS.get("memory"), paper("a", "memory", 40.0, "MB/img"));
        assertEquals(CellStatus.NOT_COMPARABLE, memory.status());
        assertTrue(memory.reason().contains("mixed-float16") && memory.reason().contains("Sec. 5"), memory.reason());
        // the same numbers measured in float32 by the paper: compared
        CellComparator same = new CellComparator(index, new PaperReference.Precision("float32", "Sec. 5"));
        assertEquals(CellStatus.REPRODUCED, same.compare(spec, a, COLUMNS.get("memory"), paper("a", "memory", 40.0, "MB/img")).status());
        // parameters do not depend on the precision
        Cell params = mixed.compare(spec, a, COLUMNS.get("params"), paper("a", "params", 11.22, "M"));
        assertEquals(CellStatus.REPRODUCED, params.status());
        assertEquals(null, params.reason());
    }

    /** A trained number compared with a paper that trained under mixed precision says, in its cell, that ours is float32. */
    @Test
    void aTrainedCellComparedWithAMixedPrecisionPaperSaysOursIsFloat32() {
        var ms = List.of(m("a", "paper", "top1", 94.1, 1L, "t1"));
        ResultIndex index = new ResultIndex(ms, List.of("paper"));
        Cell mixed = new CellComparator(index, new PaperReference.Precision("mixed-float16", "Sec. 5.1"))
                .compare(spec, a, COLUMNS.get("accuracy"), paper("a", "accuracy", 94.33, "%"));
        assertEquals(CellStatus.REPRODUCED, mixed.status());
        assertEquals("ours trained in float32 (DJL has no automatic mixed precision), the paper under mixed-float16"
                + " (Sec. 5.1)", mixed.reason());
        Cell same = new CellComparator(index, new PaperReference.Precision("float32", "assumed"))
                .compare(spec, a, COLUMNS.get("accuracy"), paper("a", "accuracy", 94.33, "%"));
        assertEquals(CellStatus.REPRODUCED, same.status());
        assertEquals(null, same.reason());
    }

    @Test
    void aClaimNamesTheFailingSelfCheckOfItsMethod() {
        String yaml = Fixtures.REFERENCE_HEAD.replace("tables: [t1]", "tables: [t1]\naudit: t1") + """
                values:
                  - {table: t1, row: a, column: memory, value: 10.0, unit: MB/img, source: "Table 1"}
                  - {table: t1, row: b, column: memory, value: 20.0, unit: MB/img, source: "Table 1"}
                claims:
                  - {id: mem, text: "A needs half of B", table: t1, numerator: a, denominator: b, column: memory, checks: [a, b]}
                  - {id: big-o, text: "B is O(1)", table: t1, numerator: b, denominator: a, column: memory,
                     paper_ratio: 1.0, basis: expected, source: "Sec. 4: O(1)"}
                """;
        PaperReference ref = ReferenceLoader.read(yaml, "demo.yaml", COLUMNS);
        var ms = List.of(m("a", "cpu", "mib_per_image", 10, null, "t"), m("b", "cpu", "mib_per_image", 20, null, "t"),
                m("a", "cpu", "max_rel_error_float64", 1e-14, 1L, "t"), m("b", "cpu", "max_rel_error_float64", 0.3, 1L, "t"));
        ResultIndex index = new ResultIndex(ms, List.of("cpu"));
        ClaimResult r = new ClaimComparator(new CellComparator(index), new AuditCheck(index)).compare(ref, spec, ref.claims().get(0));
        assertEquals(CellStatus.REPRODUCED, r.status());
        assertEquals(List.of("b"), r.failedChecks().stream().map(AuditCheck.Result::row).toList());
        assertEquals("b: float64 relative error 3.0e-01 > 1e-10", r.failedChecks().get(0).describe());
        assertEquals(Claim.Basis.EXPECTED, ref.claims().get(1).basis());
        assertEquals(Claim.Basis.PRINTED, ref.claims().get(0).basis());
        // an expected ratio without the ratio it expects, and checks without an audit table, are errors naming the claim
        var noRatio = assertThrows(org.revbench.reports.reference.ReferenceException.class, () -> ReferenceLoader.read(
                yaml.replace("paper_ratio: 1.0, ", ""), "demo.yaml", COLUMNS));
        assertTrue(noRatio.getMessage().contains("claim big-o"), noRatio.getMessage());
        assertThrows(org.revbench.reports.reference.ReferenceException.class, () -> ReferenceLoader.read(
                yaml.replace("\naudit: t1", ""), "demo.yaml", COLUMNS));
    }

    @Test
    void aClaimedImprovementThatOursReversesDiffersEvenWithinFifteenPercent() {
        String yaml = Fixtures.REFERENCE_HEAD + """
                values:
                  - {table: t1, row: a, column: memory, value: 9.55, unit: MB/img, source: "Table 1"}
                  - {table: t1, row: b, column: memory, value: 10.0, unit: MB/img, source: "Table 1"}
                claims:
                  - {id: mem, text: "A needs a little less than B", table: t1, numerator: a, denominator: b, column: memory}
                """;
        PaperReference ref = ReferenceLoader.read(yaml, "demo.yaml", COLUMNS);
        java.util.function.Function<Double, ClaimResult> judge = ours -> new ClaimComparator(new CellComparator(new ResultIndex(
                List.of(m("a", "cpu", "mib_per_image", ours, null, "t"), m("b", "cpu", "mib_per_image", 10, null, "t")),
                List.of("cpu")))).compare(ref, spec, ref.claims().get(0));
        // 0.995: 4.2 % weaker, still a saving: reproduced; 1.013: 6 % weaker, but no saving at all: differs
        assertEquals(CellStatus.REPRODUCED, judge.apply(9.95).status());
        ClaimResult reversed = judge.apply(10.13);
        assertEquals(CellStatus.DIFFERS, reversed.status());
        assertTrue(reversed.detail().contains("the claimed improvement reverses"), reversed.detail());
        // 0.90: 5.8 % stronger: within tolerance
        assertEquals(CellStatus.WITHIN_TOLERANCE, judge.apply(9.0).status());
    }
}
