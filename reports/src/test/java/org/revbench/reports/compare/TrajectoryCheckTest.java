package org.revbench.reports.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.reports.Fixtures.m;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.revbench.harness.result.Measurement;

class TrajectoryCheckTest {

    @Test
    void withinItsBoundADtypeTrainsAsItsTwinWhateverTheControl() {
        assertEquals(TrajectoryCheck.Basis.WITHIN_BOUND, TrajectoryCheck.judge("float64", 3e-12, null, null));
        assertEquals(TrajectoryCheck.Basis.WITHIN_BOUND, TrajectoryCheck.judge("float64", 1e-9, 1e-15, null));
        assertEquals(TrajectoryCheck.Basis.WITHIN_BOUND, TrajectoryCheck.judge("float32", 1e-3, null, null));
    }

    @Test
    void beyondItsBoundOnlyTheControlDecidesBetweenRoundOffAndAFinding() {
        // no control trained: a divergence beyond the bound is a finding
        assertEquals(TrajectoryCheck.Basis.DIVERGES, TrajectoryCheck.judge("float32", 2.1, null, null));
        // plain autograd from a one-ulp nudge parts as far: round-off amplified
        assertEquals(TrajectoryCheck.Basis.AS_CONTROL, TrajectoryCheck.judge("float32", 2.1, 1.5, null));
        assertEquals(TrajectoryCheck.Basis.AS_CONTROL, TrajectoryCheck.judge("float32", 10.0, 1.0, null));
        // more than ten times the control's: the method's own
        assertEquals(TrajectoryCheck.Basis.DIVERGES, TrajectoryCheck.judge("float32", 434, 1.07, null));
        assertEquals(TrajectoryCheck.Basis.DIVERGES, TrajectoryCheck.judge("float64", 3.5e-5, 1e-12, null));
        // the float64 bound is the float64 one: 1e-6 is beyond it, and a control at round-off does not excuse it
        assertEquals(TrajectoryCheck.Basis.DIVERGES, TrajectoryCheck.judge("float64", 1e-6, 1e-14, null));
    }

    @Test
    void theCheckReadsTheControlFromTheStoreAndCountsAsControlAsPassed() {
        List<Measurement> ms = new ArrayList<>();
        ms.add(m("a", "cpu", "trajectory_max_relative_weight_divergence_float32", 2.0, 1L, "2026-12-02T00:00:00Z"));
        ms.add(m("a", "cpu", "trajectory_max_weight_divergence_float32", 0.3, 1L, "2026-12-02T00:00:00Z"));
        ms.add(m("a", "cpu", "trajectory_max_loss_difference_float32", 0.5, 1L, "2026-12-02T00:00:00Z"));
        ms.add(m("a", "cpu", "trajectory_control_max_relative_weight_divergence_float32", 1.0, 1L, "2026-12-02T00:00:00Z"));
        ms.add(m("a", "cpu", "trajectory_max_relative_weight_divergence_float64", 2e-5, 1L, "2026-12-02T00:00:00Z"));
        TrajectoryCheck check = new TrajectoryCheck(new ResultIndex(ms, List.of("cpu")));

        TrajectoryCheck.Result f32 = check.check("demo:t1", "a", "float32").orElseThrow();
        assertEquals(1.0, f32.controlRelativeDivergence());
        assertEquals(TrajectoryCheck.Basis.AS_CONTROL, f32.basis());
        assertEquals(CellStatus.CHECK_PASSED, f32.status());

        // float64 measured without a control (an older run): beyond 1e-9 it is a finding
        TrajectoryCheck.Result f64 = check.check("demo:t1", "a", "float64").orElseThrow();
        assertNull(f64.controlRelativeDivergence());
        assertEquals(TrajectoryCheck.Basis.DIVERGES, f64.basis());
        assertEquals(CellStatus.CHECK_FAILED, f64.status());

        assertTrue(check.check("demo:t1", "b", "float32").isEmpty());
    }

    @Test
    void theControlIsComparedStepByStepSoAnEarlyPartingIsNotHiddenByTheRunsEnd() {
        // the reversible node's float64 twin at 200 steps: level with the control at the end, 4300 times it at step 100
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("relative_weight_divergence", List.of(1e-12, 5.18e-3, 9.6e-2));
        d.put("control_relative_weight_divergence", List.of(1e-12, 1.2e-6, 1.0e-1));
        double ratio = TrajectoryCheck.controlRatio("float64", d);
        assertEquals(5.18e-3 / 1.2e-6, ratio, 1e-6);
        assertEquals(TrajectoryCheck.Basis.DIVERGES, TrajectoryCheck.judge("float64", 9.6e-2, 1.0e-1, ratio));
        // where the control is still within the bound, the twin is held against the bound
        d.put("relative_weight_divergence", List.of(5e-3, 1.0));
        d.put("control_relative_weight_divergence", List.of(1e-5, 1.2));
        assertEquals(5.0, TrajectoryCheck.controlRatio("float32", d), 1e-12);
        assertEquals(TrajectoryCheck.Basis.AS_CONTROL, TrajectoryCheck.judge("float32", 1.0, 1.2, 5.0));
        // never beyond the bound: 0; no curves: null, and the largest values decide
        d.put("relative_weight_divergence", List.of(1e-4, 2e-4));
        assertEquals(0.0, TrajectoryCheck.controlRatio("float32", d));
        assertNull(TrajectoryCheck.controlRatio("float32", Map.of()));
    }
}
