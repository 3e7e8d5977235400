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

    /** One row and dtype: the measurement, its bound and verdict. */
    public record Result(String row, String dtype, double relativeDivergence, double absoluteDivergence,
                         double lossDifference, Measurement measurement, CellStatus status) {

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
        double bound = dtype.equals("float64") ? FLOAT64_BOUND : FLOAT32_BOUND;
        double worst = rel.get().max();
        List<Measurement> ms = rel.get().measurements();
        return Optional.of(new Result(row, dtype, worst, abs, loss, ms.get(ms.size() - 1),
                worst <= bound ? CellStatus.CHECK_PASSED : CellStatus.CHECK_FAILED));
    }
}
