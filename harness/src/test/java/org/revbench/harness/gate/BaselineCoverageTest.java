package org.revbench.harness.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.revbench.harness.result.Measurement;

/**
 * Nothing in the committed baseline passes by doing nothing: for every one of its measurements, a run that differs
 * from the baseline in that number alone, by a planted regression, fails the gate in file mode (the mode of CI's
 * fresh store, where each key is in the baseline once and there is no history).
 */
class BaselineCoverageTest {

    /** The repository's committed cpu-scale baseline, from the harness module's directory. */
    static final Path BASELINE = Path.of("..", "baselines", "cpu.json");

    @Test
    void aPlantedRegressionOfAnyBaselineNumberFailsTheGate() {
        assertTrue(Files.isRegularFile(BASELINE), BASELINE.toAbsolutePath().toString());
        List<Measurement> baseline = MeasurementFile.read(BASELINE);
        RegressionGate gate = new RegressionGate();
        History none = History.NONE;
        // the baseline against itself: nothing is missing or new; only the bound rules judge a value on its own
        GateReport self = gate.check(baseline, baseline, none);
        assertEquals(0, self.count(Status.MISSING) + self.count(Status.NEW) + self.count(Status.INSUFFICIENT_HISTORY),
                self::render);
        List<String> neverFail = new ArrayList<>();
        for (int i = 0; i < baseline.size(); i++) {
            Measurement m = baseline.get(i);
            Rule rule = RuleSet.defaults().ruleFor(m.metric(), m.scale());
            List<Measurement> now = new ArrayList<>(baseline);
            now.set(i, with(m, planted(rule, m.value())));
            GateReport report = gate.check(now, baseline, none);
            Measurement.Key key = rule instanceof SeedsRule ? RegressionGate.withoutSeed(m.key()) : m.key();
            if (!report.failed() || report.find(key).status() != Status.REGRESSED) {
                neverFail.add(m.table() + " " + m.row() + " " + m.metric() + " (" + rule.describe() + ")");
            }
        }
        assertEquals(List.of(), neverFail, neverFail.size() + " of " + baseline.size() + " numbers cannot fail the gate");
    }

    /** A clear regression of {@code value} under {@code rule}: far beyond any tolerance the rules state. */
    static double planted(Rule rule, double value) {
        if (rule instanceof ExactRule) {
            return value + 1;
        }
        if (rule instanceof BoundRule b) {
            // beyond the bound, and worse than a baseline that broke it already (a known failure stays allowed)
            return Math.max(b.bound() * 10, value * 4 + 1);
        }
        Direction d = rule instanceof ToleranceRule t ? t.direction() : rule instanceof SeedsRule s ? s.direction()
                : ((ZScoreRule) rule).direction();
        // four times (plus one unit, for zeros) worse, or for accuracy 20 points lower
        return d == Direction.LOWER_IS_BETTER ? value * 4 + 1 : value - 20;
    }

    static Measurement with(Measurement m, double value) {
        return new Measurement(m.table(), m.row(), m.model(), m.scale(), m.protocol(), m.metric(), value, m.unit(),
                m.seed(), m.specHash(), m.details(), m.provenance());
    }
}
