package org.revbench.reports.compare;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.revbench.harness.result.Measurement;

/**
 * Whether a memory-saving backward trains as its plain-autograd twin does (the trajectory protocol: one network
 * built twice from one seed, trained on the same batches once with each backward). A self-check of the papers'
 * "costs no accuracy" claims that fits on a CPU, judged against bounds, not against a printed number.
 */
public final class TrajectoryCheck {

    /**
     * Largest relative weight divergence in float64 that still counts as the same training: round-off of a few
     * hundred steps stays near 1e-12, a wrong gradient reaches 1e-3 within a step.
     */
    public static final double FLOAT64_BOUND = 1e-9;

    /**
     * Largest relative weight divergence in float32 that counts as small: float32 round-off of a reconstruction
     * is about 1e-6 per step; a spike that flips in the recomputation moves a weight by a whole gradient step.
     */
    public static final double FLOAT32_BOUND = 1e-3;

    /**
     * Beyond its bound, a divergence still passes when at every compared step it is at most this many times the
     * control's at that step (or the bound, where the control is still within it): plain autograd trained from
     * weights nudged by one ulp parts from plain autograd by what round-off alone does to this run (a spiking
     * network's thresholds amplify any difference), so a memory-saving twin that parts no further, and no sooner,
     * shows no cost of its own. Step by step, because over a long run the control's chaos catches up with any
     * divergence: the reversible node's float64 twin is 4300 times the control at step 100 and level with it by step
     * 200, so the largest over the run would hide that it parted 50 steps earlier. An order of magnitude, because two
     * round-off-sized starts part at different steps.
     */
    public static final double CONTROL_FACTOR = 10;

    /** Why a row and dtype got its status. */
    public enum Basis {
        /** within the dtype's bound: the same training to round-off */
        WITHIN_BOUND("trains as its twin"),
        /** beyond the bound, but no further than the one-ulp control: round-off amplified, not the method */
        AS_CONTROL("parts no further than plain autograd from a one-ulp nudge"),
        /** beyond the bound and beyond the control (or without one): a finding */
        DIVERGES("diverges (a finding)");

        private final String text;

        Basis(String text) { this.text = text; }

        public String text() { return text; }
    }

    /**
     * One row and dtype: the measurement, the control's relative divergence (null without a control), its verdict
     * and why.
     */
    public record Result(String row, String dtype, double relativeDivergence, double absoluteDivergence,
                         double lossDifference, Double controlRelativeDivergence, Double controlRatio,
                         Measurement measurement, CellStatus status, Basis basis) {

        public Map<String, Object> details() { return measurement.details(); }
    }

    private final ResultIndex index;

    public TrajectoryCheck(ResultIndex index) {
        this.index = index;
    }

    /** The row's verdict in {@code dtype} (float64 or float32), or empty when it was not measured. */
    public Optional<Result> check(String specId, String row, String dtype) {
        Optional<Ours> rel = index.ours(specId, row, "trajectory_max_relative_weight_divergence_" + dtype);
        if (rel.isEmpty()) {
            return Optional.empty();
        }
        double abs = index.ours(specId, row, "trajectory_max_weight_divergence_" + dtype).map(Ours::max).orElse(Double.NaN);
        double loss = index.ours(specId, row, "trajectory_max_loss_difference_" + dtype).map(Ours::max).orElse(Double.NaN);
        Double control = index.ours(specId, row, "trajectory_control_max_relative_weight_divergence_" + dtype)
                .map(Ours::max).orElse(null);
        double worst = rel.get().max();
        List<Measurement> ms = rel.get().measurements();
        Measurement last = ms.get(ms.size() - 1);
        Double ratio = control == null ? null : controlRatio(dtype, last.details());
        Basis basis = judge(dtype, worst, control, ratio);
        return Optional.of(new Result(row, dtype, worst, abs, loss, control, ratio, last,
                basis == Basis.DIVERGES ? CellStatus.CHECK_FAILED : CellStatus.CHECK_PASSED, basis));
    }

    /**
     * The largest ratio, over the compared steps where the twin is beyond the dtype's bound, of its relative
     * divergence to the control's at the same step (to the bound where the control is still within it); 0 when the
     * twin never leaves the bound, null when the details hold no curves (a measurement that predates them).
     */
    static Double controlRatio(String dtype, Map<String, Object> details) {
        List<Double> twin = numbers(details.get("relative_weight_divergence"));
        List<Double> control = numbers(details.get("control_relative_weight_divergence"));
        if (twin == null || control == null || twin.size() != control.size() || twin.isEmpty()) {
            return null;
        }
        double bound = bound(dtype);
        double worst = 0;
        for (int i = 0; i < twin.size(); i++) {
            if (twin.get(i) > bound) {
                worst = Math.max(worst, twin.get(i) / Math.max(control.get(i), bound));
            }
        }
        return worst;
    }

    private static List<Double> numbers(Object o) {
        if (!(o instanceof List<?> l)) {
            return null;
        }
        List<Double> out = new java.util.ArrayList<>();
        for (Object v : l) {
            if (!(v instanceof Number n)) {
                return null;
            }
            out.add(n.doubleValue());
        }
        return out;
    }

    private static double bound(String dtype) { return dtype.equals("float64") ? FLOAT64_BOUND : FLOAT32_BOUND; }

    /**
     * The verdict on a relative divergence in {@code dtype}, given the control's largest (null: none was trained)
     * and the step-by-step ratio to it ({@link #controlRatio}; null: no curves, the largest values are compared).
     */
    static Basis judge(String dtype, double relative, Double control, Double ratio) {
        if (relative <= bound(dtype)) {
            return Basis.WITHIN_BOUND;
        }
        if (control != null && (ratio != null ? ratio <= CONTROL_FACTOR : relative <= CONTROL_FACTOR * control)) {
            return Basis.AS_CONTROL;
        }
        return Basis.DIVERGES;
    }
}
