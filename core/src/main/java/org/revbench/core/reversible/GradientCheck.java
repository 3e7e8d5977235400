package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.TrainingStep;

/**
 * The memory-saving backward against plain autograd on the same weights and batch: one forward-backward with each,
 * every trainable parameter's gradient compared (the stem's gradients pass through every reversible stage's input
 * gradient, so those are covered too). BatchNorm runs on batch statistics in training mode, so the running
 * statistics updated by the first pass do not change the second.
 */
public final class GradientCheck {

    /** One parameter's largest difference, relative to its largest gradient magnitude. */
    public record Row(String parameter, double maxAbsDifference, double maxRelDifference, double scale) {}

    public record Result(List<Row> rows) {
        public double maxRelDifference() { return rows.stream().mapToDouble(Row::maxRelDifference).max().orElse(0); }

        /** Parameters whose gradient is not zero everywhere. */
        public long reached() { return rows.stream().filter(r -> r.scale() > 0).count(); }
    }

    private GradientCheck() {}

    public static Result run(Network network, NDArray input, NDArray labels) {
        List<double[]> saving = gradients(network, input, labels, true);
        List<double[]> plain = gradients(network, input, labels, false);
        network.setMemorySaving(true);
        List<Parameter> ps = trainable(network);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            double[] a = plain.get(i);
            double[] b = saving.get(i);
            double diff = 0;
            double scale = 0;
            for (int j = 0; j < a.length; j++) {
                diff = Math.max(diff, Math.abs(a[j] - b[j]));
                scale = Math.max(scale, Math.abs(a[j]));
            }
            rows.add(new Row(ps.get(i).name() + "#" + i, diff, scale == 0 ? diff : diff / scale, scale));
        }
        return new Result(rows);
    }

    private static List<Parameter> trainable(Network n) {
        return n.parameters().stream().filter(Parameter::trainable).toList();
    }

    private static List<double[]> gradients(Network n, NDArray input, NDArray labels, boolean memorySaving) {
        n.setMemorySaving(memorySaving);
        TrainingStep step = new TrainingStep(n, CrossEntropy.plain(), new Sgd(0, 0));
        step.zeroGradients();
        step.forwardBackward(input, labels);
        List<double[]> out = new ArrayList<>();
        for (Parameter p : trainable(n)) {
            try (NDArray g = Autograd.gradient(p.array())) {
                out.add(g == null ? new double[(int) p.size()] : Tensors.toDoubles(g));
            }
        }
        step.zeroGradients();
        return out;
    }
}
