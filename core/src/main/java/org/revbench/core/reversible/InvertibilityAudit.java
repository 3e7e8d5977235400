package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.Segment;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.nn.ForwardContext;

/**
 * Forwards a batch through a network and reconstructs every reversible stage's input from its output, as the
 * memory-saving backward does (for a segment that inverts only its last part, that part's input: {@link
 * Invertible#inverseTarget}). Batch statistics as in training, running statistics untouched.
 */
public final class InvertibilityAudit {

    /** One stage: the largest absolute error, and the same relative to the largest input magnitude. */
    public record Stage(int index, String segment, int blocks, double maxAbsError, double maxRelError, double inputScale) {}

    /** All stages and the overall maxima. */
    public record Result(List<Stage> stages) {
        public double maxAbsError() { return stages.stream().mapToDouble(Stage::maxAbsError).max().orElse(0); }

        public double maxRelError() { return stages.stream().mapToDouble(Stage::maxRelError).max().orElse(0); }
    }

    private InvertibilityAudit() {}

    public static Result run(SegmentedNetwork network, NDArray input) {
        ForwardContext ctx = ForwardContext.train(network.options().timesteps()).withMode(ForwardContext.Mode.RECOMPUTE);
        return Autograd.withRecording(false, () -> {
            List<Stage> stages = new ArrayList<>();
            NDArray x = input;
            int index = 0;
            for (Segment s : network.segments()) {
                if (s instanceof PreludedStage ps) {
                    // audit the stage on the prelude's output, its real input
                    NDArray t = ps.prelude().forward(x, ctx);
                    if (x != input) {
                        x.close();
                    }
                    x = t;
                }
                // what the inverse should give back; before the forward, which the inverse may depend on
                NDArray target = s instanceof Invertible inv && !(s instanceof PreludedStage) ? inv.inverseTarget(x, ctx) : x;
                NDArray y = s instanceof PreludedStage ps ? ps.stage().forward(x, ctx) : s.forward(x, ctx);
                if (s instanceof Invertible inv) {
                    try (NDArray back = inv.inverse(y, ctx)) {
                        double[] a = Tensors.toDoubles(target);
                        double[] b = Tensors.toDoubles(back);
                        double err = 0;
                        double scale = 0;
                        for (int i = 0; i < a.length; i++) {
                            err = Math.max(err, Math.abs(a[i] - b[i]));
                            scale = Math.max(scale, Math.abs(a[i]));
                        }
                        stages.add(new Stage(index++, s.path(), inv.blockCount(), err, scale == 0 ? err : err / scale, scale));
                    }
                }
                if (target != x) {
                    target.close();
                }
                if (x != input) {
                    x.close();
                }
                x = y;
            }
            x.close();
            return new Result(stages);
        });
    }
}
