package org.revbench.core.testing;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.TrainingStep;

/**
 * Every trainable parameter's gradient after one forward and backward, read back: what gradient tests compare. A
 * parameter the loss does not reach (T-RevSNN's intermediate heads under its last-step loss) has none: null.
 */
public final class StepGradients {

    private StepGradients() {}

    /** One forward and backward of {@code network} on the batch (cross-entropy), then each gradient in order. */
    public static double[][] of(Network network, NDArray input, NDArray labels) {
        new TrainingStep(network, CrossEntropy.plain(), new Sgd(0.9, 0)).forwardBackward(input, labels);
        List<Parameter> ps = network.parameters().stream().filter(Parameter::trainable).toList();
        double[][] g = new double[ps.size()][];
        for (int i = 0; i < g.length; i++) {
            try (NDArray grad = Autograd.gradient(ps.get(i).array())) {
                g[i] = grad == null ? null : Tensors.toDoubles(grad);
            }
        }
        return g;
    }
}
