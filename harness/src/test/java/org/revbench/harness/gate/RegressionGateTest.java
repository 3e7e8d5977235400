package org.revbench.harness.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.harness.gate.Measurements.ERROR;
import static org.revbench.harness.gate.Measurements.MIB;
import static org.revbench.harness.gate.Measurements.PARAMS;
import static org.revbench.harness.gate.Measurements.SEEDS;
import static org.revbench.harness.gate.Measurements.STEP_MS;
import static org.revbench.harness.gate.Measurements.baseline;
import static org.revbench.harness.gate.Measurements.run;
import static org.revbench.harness.gate.Measurements.shifted;
import static org.revbench.harness.gate.Measurements.stepHistory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.revbench.harness.result.Measurement;

/** Planted regressions are caught, changes within each metric's noise are not. */
class RegressionGateTest {

    // outside CI, whatever the environment of the test run: inCiANewKeyMetricFailsUntilTheBaselineHasIt tests CI's rule
    private final RegressionGate gate = new RegressionGate(RuleSet.defaults(), true, false);
    private final History twentyCommits = new InMemoryHistory(stepHistory(20));

    private GateReport check(List<Measurement> current) {
        return gate.check(current, baseline(), twentyCommits);
    }

    private static Status statusOf(GateReport report, Measurement m) {
        Comparison c = report.find(m.key());
        return c == null ? null : c.status();
    }

    private static Status top1Status(GateReport report) {
        return top1(report).status();
    }

    @Test
    void anUnchangedRunPasses() {
        GateReport report = check(baseline());
        assertFalse(report.failed(), report::render);
        // one line per key; the three seeds of top1 are one comparison
        assertEquals(6, report.comparisons().size(), report::render);
        for (Comparison c : report.comparisons()) {
            assertEquals(Status.OK, c.status(), report::render);
        }
        assertTrue(report.render().endsWith("0 regressions in 6 comparisons\n"), report::render);
    }

    @Test
    void aFivePercentMemoryIncreaseIsCaughtAndHalfAPercentIsNot() {
        GateReport fivePercent = check(run(PARAMS, MIB * 1.05, SEEDS, STEP_MS, ERROR));
        assertTrue(fivePercent.failed(), fivePercent::render);
        assertEquals(Status.REGRESSED, statusOf(fivePercent, Measurements.memory(0)), fivePercent::render);
        assertEquals("+5.00%", fivePercent.find(Measurements.memory(0).key()).verdict().change());
        assertTrue(fivePercent.render().contains("1 regression in 6 comparisons"), fivePercent::render);

        GateReport halfPercent = check(run(PARAMS, MIB * 1.005, SEEDS, STEP_MS, ERROR));
        assertFalse(halfPercent.failed(), halfPercent::render);
        assertEquals(Status.OK, statusOf(halfPercent, Measurements.memory(0)));

        GateReport saved = check(run(PARAMS, MIB * 0.95, SEEDS, STEP_MS, ERROR));
        assertFalse(saved.failed(), saved::render);
        assertEquals(Status.IMPROVED, statusOf(saved, Measurements.memory(0)));
    }

    @Test
    void aTwoPointAccuracyDropOverThreeSeedsIsCaughtAndAPointTwoDropIsNot() {
        GateReport twoPoints = check(run(PARAMS, MIB, shifted(SEEDS, -2), STEP_MS, ERROR));
        assertTrue(twoPoints.failed(), twoPoints::render);
        assertEquals(Status.REGRESSED, top1Status(twoPoints), twoPoints::render);
        assertEquals("-2.00 pt", top1(twoPoints).verdict().change());

        // the seeds need not move together: a different spread around a mean 2 points lower
        GateReport reshuffled = check(run(PARAMS, MIB, new double[] {74.8, 74.0, 74.4}, STEP_MS, ERROR));
        assertEquals(Status.REGRESSED, top1Status(reshuffled), reshuffled::render);

        GateReport pointTwo = check(run(PARAMS, MIB, shifted(SEEDS, -0.2), STEP_MS, ERROR));
        assertFalse(pointTwo.failed(), pointTwo::render);
        assertEquals(Status.OK, top1Status(pointTwo));

        GateReport better = check(run(PARAMS, MIB, shifted(SEEDS, +2), STEP_MS, ERROR));
        assertFalse(better.failed(), better::render);
        assertEquals(Status.IMPROVED, top1Status(better));
    }

    @Test
    void seedsThatDisagreeMoreRaiseTheBar() {
        // spread 1 point: a 2-point drop is within 3 standard deviations of the seeds
        double[] noisy = {75.4, 76.4, 77.4};
        List<Measurement> base = run(PARAMS, MIB, noisy, STEP_MS, ERROR);
        GateReport report = gate.check(run(PARAMS, MIB, shifted(noisy, -2), STEP_MS, ERROR), base, twentyCommits);
        assertEquals(Status.OK, top1Status(report), report::render);
        report = gate.check(run(PARAMS, MIB, shifted(noisy, -3.5), STEP_MS, ERROR), base, twentyCommits);
        assertEquals(Status.REGRESSED, top1Status(report), report::render);
    }

    @Test
    void onOneMachineClassAndThreadCountEachSeedIsComparedWithItsOwn() {
        // a cpu-scale row whose seeds spread by 14 points: a 20-point drop of one seed moves the mean by 6.7, well
        // within 3 standard deviations; but a seed trains to the same weights on one machine class and thread count
        double[] spread = {37.5, 39.84, 13.28};
        double[] oneSeedDown = {17.5, 39.84, 13.28};
        List<Measurement> base = Measurements.onMachine(run(PARAMS, MIB, spread, STEP_MS, ERROR), "x86_64 AuthenticAMD avx512");
        GateReport same = gate.check(Measurements.onMachine(run(PARAMS, MIB, spread, STEP_MS, ERROR),
                "x86_64 AuthenticAMD avx512"), base, twentyCommits);
        assertEquals(Status.OK, top1Status(same), same::render);
        GateReport down = gate.check(Measurements.onMachine(run(PARAMS, MIB, oneSeedDown, STEP_MS, ERROR),
                "x86_64 AuthenticAMD avx512"), base, twentyCommits);
        assertEquals(Status.REGRESSED, top1Status(down), down::render);
        assertTrue(top1(down).verdict().change().startsWith("seed 1 -20.00 pt"), down::render);
        // a seed that moved up by as much is no regression
        GateReport up = gate.check(Measurements.onMachine(run(PARAMS, MIB, new double[] {57.5, 39.84, 13.28}, STEP_MS,
                ERROR), "x86_64 AuthenticAMD avx512"), base, twentyCommits);
        assertFalse(up.failed(), up::render);
        // without a stated machine class the seeds are not paired: the mean rule alone, which this drop passes
        GateReport unpaired = gate.check(run(PARAMS, MIB, oneSeedDown, STEP_MS, ERROR),
                run(PARAMS, MIB, spread, STEP_MS, ERROR), twentyCommits);
        assertEquals(Status.OK, top1Status(unpaired), unpaired::render);
    }

    @Test
    void aParameterCountOffByOneIsCaughtEitherWay() {
        for (double delta : new double[] {+1, -1}) {
            GateReport report = check(run(PARAMS + delta, MIB, SEEDS, STEP_MS, ERROR));
            assertTrue(report.failed(), report::render);
            assertEquals(Status.REGRESSED, statusOf(report, Measurements.params(0)), report::render);
            assertEquals(delta > 0 ? "+1" : "-1", report.find(Measurements.params(0).key()).verdict().change());
        }
    }

    @Test
    void aTimingTenSigmaAboveItsHistoryIsCaughtAndOneWithinNoisePasses() {
        GateReport slow = check(run(PARAMS, MIB, SEEDS, STEP_MS + 10 * 2, ERROR));
        assertTrue(slow.failed(), slow::render);
        Comparison c = slow.find(Measurements.trainStep(0).key());
        assertEquals(Status.REGRESSED, c.status(), slow::render);
        assertEquals("z=+10.0", c.verdict().change());
        assertEquals("100 +- 2 (n=20)", c.verdict().reference());

        GateReport noisy = check(run(PARAMS, MIB, SEEDS, STEP_MS + 1.5 * 2, ERROR));
        assertFalse(noisy.failed(), noisy::render);
        assertEquals(Status.OK, statusOf(noisy, Measurements.trainStep(0)));

        GateReport faster = check(run(PARAMS, MIB, SEEDS, STEP_MS - 10 * 2, ERROR));
        assertFalse(faster.failed(), faster::render);
        assertEquals(Status.IMPROVED, statusOf(faster, Measurements.trainStep(0)));
    }

    @Test
    void onlyTheLastLookbackCommitsCount() {
        // forty commits: twenty slow ones long ago, then the usual twenty; a value that the old ones would
        // excuse is judged by the recent ones alone
        List<Measurement> old = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            old.add(Measurements.trainStep(150 + (i % 2 == 0 ? 10 : -10)));
        }
        old.addAll(stepHistory(20));
        GateReport report = gate.check(run(PARAMS, MIB, SEEDS, 130, ERROR), baseline(), new InMemoryHistory(old));
        assertEquals(Status.REGRESSED, statusOf(report, Measurements.trainStep(0)), report::render);
    }

    @Test
    void aTwoPointHistoryFallsBackToTheBaselinesValueSoAPlantedRegressionFails() {
        // a tenfold training step: too short a history for a z-score, so judged against the baseline (150 % allowed)
        GateReport report = gate.check(run(PARAMS, MIB, SEEDS, STEP_MS * 10, ERROR), baseline(),
                new InMemoryHistory(stepHistory(2)));
        assertTrue(report.failed(), report::render);
        assertEquals(Status.REGRESSED, statusOf(report, Measurements.trainStep(0)), report::render);
        assertTrue(report.render().contains("history 2 < 3: vs baseline, 150% allowed"), report::render);

        assertEquals(Status.OK, statusOf(gate.check(run(PARAMS, MIB, SEEDS, STEP_MS * 2.4, ERROR), baseline(),
                History.NONE), Measurements.trainStep(0)));
        assertEquals(Status.OK, statusOf(gate.check(baseline(), baseline(), History.NONE), Measurements.trainStep(0)));

        // a rule without a fallback keeps the old answer, which never fails
        RegressionGate noFallback = new RegressionGate(RulesFile.parse("""
                default: {rule: exact}
                metrics:
                  train_step_ms: {rule: zscore, direction: lower}
                """, "mini.yaml"), true);
        report = noFallback.check(run(PARAMS, MIB, SEEDS, STEP_MS * 10, ERROR), baseline(), History.NONE);
        assertEquals(Status.INSUFFICIENT_HISTORY, statusOf(report, Measurements.trainStep(0)), report::render);
        assertFalse(report.failed());
    }

    @Test
    void againstABaselineOfAnotherMachineClassTheWiderStatedToleranceApplies() {
        List<Measurement> base = Measurements.onMachine(baseline(), "x86_64 GenuineIntel avx512");
        // 3x: beyond the same-class 150 %, within the cross-class 300 %
        List<Measurement> slower = run(PARAMS, MIB, SEEDS, STEP_MS * 3, ERROR);
        assertEquals(Status.REGRESSED, statusOf(gate.check(Measurements.onMachine(slower, "x86_64 GenuineIntel avx512"),
                base, History.NONE), Measurements.trainStep(0)));
        GateReport across = gate.check(Measurements.onMachine(slower, "x86_64 AuthenticAMD avx2"), base, History.NONE);
        assertEquals(Status.OK, statusOf(across, Measurements.trainStep(0)), across::render);
        assertTrue(across.render().contains("baseline of machine class x86_64 GenuineIntel avx512: 300% allowed"),
                across::render);
        // 5x fails even there
        assertEquals(Status.REGRESSED, statusOf(gate.check(Measurements.onMachine(run(PARAMS, MIB, SEEDS, STEP_MS * 5,
                ERROR), "x86_64 AuthenticAMD avx2"), base, History.NONE), Measurements.trainStep(0)));
        // accuracy: a 5-point drop fails on the same class, and is within the stated 15 points on another
        List<Measurement> lower = run(PARAMS, MIB, shifted(SEEDS, -5), STEP_MS, ERROR);
        Measurement.Key top1 = RegressionGate.withoutSeed(Measurements.top1(1, 0).key());
        assertEquals(Status.REGRESSED, gate.check(Measurements.onMachine(lower, "x86_64 GenuineIntel avx512"), base,
                History.NONE).find(top1).status());
        GateReport accuracyAcross = gate.check(Measurements.onMachine(lower, "x86_64 AuthenticAMD avx2"), base,
                History.NONE);
        assertEquals(Status.OK, accuracyAcross.find(top1).status(), accuracyAcross::render);
        assertTrue(accuracyAcross.render().contains("baseline of another machine class: 15 allowed"),
                accuracyAcross::render);
        // memory does not depend on the class (the probe caps oneDNN): 1 % everywhere
        assertEquals(Status.REGRESSED, statusOf(gate.check(Measurements.onMachine(run(PARAMS, MIB * 1.05, SEEDS,
                STEP_MS, ERROR), "x86_64 AuthenticAMD avx2"), base, History.NONE), Measurements.memory(0)));
    }

    @Test
    void inCiANewKeyMetricFailsUntilTheBaselineHasIt() {
        List<Measurement> now = new java.util.ArrayList<>(baseline());
        now.add(Measurements.of("memory", "activation_mib_per_image", 3.0, "MiB/img", null)); // a key metric
        now.add(Measurements.of("latency", "inference_us_per_image", 300, "us/img", null)); // not a key metric
        GateReport ci = new RegressionGate(RuleSet.defaults(), true, true).check(now, baseline(), History.NONE);
        assertTrue(ci.failed(), ci::render);
        assertEquals(List.of("activation_mib_per_image"), ci.failingNew().stream().map(c -> c.key().metric()).toList());
        assertTrue(ci.summary().contains("1 new key metrics without a baseline (failing"), ci::summary);
        assertFalse(new RegressionGate(RuleSet.defaults(), true, false).check(now, baseline(), History.NONE).failed(),
                "outside CI a new metric is reported, not failed");
        // refreshed in the same change: the baseline has it
        assertFalse(new RegressionGate(RuleSet.defaults(), true, true).check(now, now, History.NONE).failed());
        // a changed spec is new as well
        List<Measurement> changed = baseline().stream().map(m -> m.metric().equals("mib_per_image")
                ? new Measurement(m.table(), m.row(), m.model(), m.scale(), m.protocol(), m.metric(), m.value(), m.unit(),
                m.seed(), "spec-b", m.details(), m.provenance()) : m).toList();
        assertTrue(new RegressionGate(RuleSet.defaults(), true, true).check(changed, baseline(), History.NONE).failed());
    }

    @Test
    void aReferenceDeltaOfZeroIsJudgedByItsAbsoluteFloor() {
        ToleranceRule r = new ToleranceRule(Direction.LOWER_IS_BETTER, 0.01, 0.05);
        assertEquals(Status.OK, r.judge(0, 0).status());
        assertEquals(Status.OK, r.judge(0, 0.04).status());
        assertEquals(Status.REGRESSED, r.judge(0, 0.06).status());
        assertEquals(Status.OK, r.judge(10, 10.09).status(), "1 % of 10 is 0.1");
        assertEquals(Status.REGRESSED, r.judge(10, 10.11).status());
        assertEquals(Status.REGRESSED, new ToleranceRule(Direction.LOWER_IS_BETTER, 0.01).judge(0, 0.001).status(),
                "without a floor any growth from 0 is a regression");
    }

    @Test
    void aHistoryWithoutSpreadIsJudgedByTheFloorNotByInfinity() {
        History flat = new InMemoryHistory(List.of(Measurements.trainStep(100), Measurements.trainStep(100),
                Measurements.trainStep(100), Measurements.trainStep(100)));
        // floor: 0.5 % of 100 ms = 0.5 ms; z = 2 for 101 ms, 20 for 110 ms
        assertEquals(Status.OK, stepStatus(flat, 100));
        assertEquals(Status.OK, stepStatus(flat, 101));
        assertEquals(Status.REGRESSED, stepStatus(flat, 110));
        assertEquals(Status.IMPROVED, stepStatus(flat, 90));

        History zeros = new InMemoryHistory(List.of(Measurements.trainStep(0), Measurements.trainStep(0),
                Measurements.trainStep(0)));
        assertEquals(Status.OK, stepStatus(zeros, 0));
        assertEquals(Status.REGRESSED, stepStatus(zeros, 1e-9));
    }

    private Status stepStatus(History history, double ms) {
        GateReport r = gate.check(run(PARAMS, MIB, SEEDS, ms, ERROR), baseline(), history);
        return statusOf(r, Measurements.trainStep(0));
    }

    @Test
    void anInvertibilityErrorAboveItsBoundIsCaught() {
        for (double broken : new double[] {3e-10, 1e-10, Double.NaN}) {
            GateReport report = check(run(PARAMS, MIB, SEEDS, STEP_MS, broken));
            assertTrue(report.failed(), report::render);
            assertEquals(Status.REGRESSED, statusOf(report, Measurements.invertError(0)), report::render);
        }
        GateReport fine = check(run(PARAMS, MIB, SEEDS, STEP_MS, 9e-14));
        assertEquals(Status.OK, statusOf(fine, Measurements.invertError(0)), fine::render);
    }

    @Test
    void aBoundIsCheckedEvenWithoutABaseline() {
        List<Measurement> base = baseline().stream().filter(m -> !m.metric().equals("max_abs_error")).toList();
        GateReport report = gate.check(run(PARAMS, MIB, SEEDS, STEP_MS, 1e-3), base, twentyCommits);
        assertEquals(Status.REGRESSED, statusOf(report, Measurements.invertError(0)), report::render);
    }

    @Test
    void aBoundTheBaselineBrokeAlreadyFailsAsBeforeUnlessItGetsWorse() {
        // the reversible node's float64 reconstruction at T 4: 0.21 in the baseline, a known failing check
        List<Measurement> known = run(PARAMS, MIB, SEEDS, STEP_MS, 0.21);
        GateReport same = gate.check(known, known, twentyCommits);
        assertEquals(Status.FAILS_AS_BEFORE, statusOf(same, Measurements.invertError(0)), same::render);
        assertFalse(same.failed(), same::render);
        assertTrue(same.summary().contains("1 fails, as in the baseline"), same.summary());
        GateReport better = gate.check(run(PARAMS, MIB, SEEDS, STEP_MS, 0.1), known, twentyCommits);
        assertEquals(Status.FAILS_AS_BEFORE, statusOf(better, Measurements.invertError(0)), better::render);
        GateReport worse = gate.check(run(PARAMS, MIB, SEEDS, STEP_MS, 0.5), known, twentyCommits);
        assertEquals(Status.REGRESSED, statusOf(worse, Measurements.invertError(0)), worse::render);
        GateReport nan = gate.check(run(PARAMS, MIB, SEEDS, STEP_MS, Double.NaN), known, twentyCommits);
        assertEquals(Status.REGRESSED, statusOf(nan, Measurements.invertError(0)), nan::render);
        GateReport fixed = gate.check(run(PARAMS, MIB, SEEDS, STEP_MS, 1e-14), known, twentyCommits);
        assertEquals(Status.OK, statusOf(fixed, Measurements.invertError(0)), fixed::render);
    }

    @Test
    void missingKeysAreReportedAndFailUnlessAllowedAndNewKeysNeverFail() {
        List<Measurement> current = new ArrayList<>(baseline());
        current.removeIf(m -> m.metric().equals("flops") || m.metric().equals("top1"));
        current.add(Measurements.of("static", "macs", 42, "count", null));

        GateReport report = check(current);
        assertEquals(Status.MISSING, statusOf(report, Measurements.flops(0)), report::render);
        assertEquals(Status.MISSING, top1(report).status(), report::render);
        assertEquals(Status.NEW, statusOf(report, Measurements.of("static", "macs", 0, "count", null)));
        assertTrue(report.failed(), report::render);
        assertEquals(0, report.count(Status.REGRESSED));
        assertTrue(report.summary().contains("2 missing (failing), 1 new"), report::summary);

        GateReport allowed = new RegressionGate(RuleSet.defaults(), false).check(current, baseline(), twentyCommits);
        assertFalse(allowed.failed(), allowed::render);
        assertEquals(2, allowed.count(Status.MISSING));
        assertTrue(allowed.summary().contains("2 missing (allowed)"), allowed::summary);

        List<Measurement> onlyNew = List.of(Measurements.of("static", "macs", 42, "count", null));
        GateReport fresh = gate.check(onlyNew, List.of(), History.NONE);
        assertFalse(fresh.failed(), fresh::render);
        assertEquals(Status.NEW, fresh.comparisons().get(0).status());
    }

    @Test
    void aChangedSpecIsANewExperimentNotARegression() {
        List<Measurement> current = baseline().stream().map(m -> m.metric().equals("mib_per_image")
                ? new Measurement(m.table(), m.row(), m.model(), m.scale(), m.protocol(), m.metric(), m.value() * 2,
                        m.unit(), m.seed(), "spec-b", m.details(), null)
                : m).toList();
        GateReport report = check(current);
        Comparison c = report.find(Measurements.memory(0).key());
        assertEquals(Status.NEW, c.status(), report::render);
        assertEquals("spec changed", c.verdict().change());
        assertFalse(report.failed(), report::render);
    }

    @Test
    void theLastOfRepeatedEntriesCounts() {
        List<Measurement> current = new ArrayList<>(baseline());
        current.add(0, Measurements.memory(MIB * 2)); // an earlier, superseded run
        assertFalse(check(current).failed());
        current.add(Measurements.memory(MIB * 2));
        assertTrue(check(current).failed());
    }

    @Test
    void theTableIsAlignedAndTheJsonCarriesEveryComparison() {
        GateReport report = check(run(PARAMS + 1, MIB * 1.05, SEEDS, STEP_MS, ERROR));
        List<String> lines = report.render().lines().toList();
        assertEquals(1 + 6 + 1, lines.size(), report::render);
        int statusColumn = lines.get(0).indexOf("status");
        for (String line : lines.subList(1, 7)) {
            assertTrue(line.length() > statusColumn && line.charAt(statusColumn - 1) == ' '
                    && line.charAt(statusColumn) != ' ', "misaligned:\n" + report.render());
        }
        assertEquals("2 regressions in 6 comparisons", lines.get(7));

        var json = com.google.gson.JsonParser.parseString(report.toJson()).getAsJsonObject();
        assertTrue(json.get("failed").getAsBoolean());
        assertEquals(2, json.get("regressions").getAsInt());
        assertEquals(6, json.getAsJsonArray("results").size());
        var first = json.getAsJsonArray("results").get(0).getAsJsonObject();
        for (String field : List.of("table", "row", "scale", "protocol", "metric", "seed", "unit", "rule", "status",
                "baseline", "current", "change", "numbers")) {
            assertTrue(first.has(field), field + " missing: " + first);
        }
        Map<String, Object> memory = report.find(Measurements.memory(0).key()).verdict().numbers();
        assertEquals(0.05, (double) memory.get("relative_change"), 1e-12);
    }

    private static Comparison top1(GateReport report) {
        return report.find(RegressionGate.withoutSeed(Measurements.top1(0, 0).key()));
    }
}
