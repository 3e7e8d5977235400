package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.ForwardPass;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;
import org.revbench.core.train.CrossEntropy;

/**
 * The memory-saving backward against plain autograd on the same weights and batch: one forward-backward with each,
 * the gradient of the network input and of every trainable parameter compared. BatchNorm runs on batch statistics in training mode, so the running
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
        List<String> names = new ArrayList<>();
        names.add("input");
        for (int i = 0; i < ps.size(); i++) {
            names.add(ps.get(i).name() + "#" + i);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            double[] a = plain.get(i);
            double[] b = saving.get(i);
            double diff = 0;
            double scale = 0;
            for (int j = 0; j < a.length; j++) {
                diff = Math.max(diff, Math.abs(a[j] - b[j]));
                scale = Math.max(scale, Math.abs(a[j]));
            }
            rows.add(new Row(names.get(i), diff, scale == 0 ? diff : diff / scale, scale));
        }
        return new Result(rows);
    }

    private static List<Parameter> trainable(Network n) {
        return n.parameters().stream().filter(Parameter::trainable).toList();
    }

    /** The input's gradient, then every trainable parameter's, from one forward-backward. */
    private static List<double[]> gradients(Network n, NDArray input, NDArray labels, boolean memorySaving) {
        n.setMemorySaving(memorySaving);
        List<Parameter> ps = trainable(n);
        ps.forEach(p -> Autograd.zeroGradient(p.array()));
        List<double[]> out = new ArrayList<>();
        boolean before = Autograd.setRecording(true);
        try (ForwardPass pass = n.forwardTrain(input, true); NDArray loss = pass.trainingLoss(head -> CrossEntropy.plain().loss(head, labels))) {
            pass.backward(loss);
            out.add(Tensors.toDoubles(pass.inputGradient()));
        } finally {
            Autograd.setRecording(before);
        }
        for (Parameter p : ps) {
            try (NDArray g = Autograd.gradient(p.array())) {
                out.add(g == null ? new double[(int) p.size()] : Tensors.toDoubles(g));
            }
            Autograd.zeroGradient(p.array());
        }
        return out;
    }
}
