package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.nn.Parameter;

/**
 * Updates parameters from their accumulated gradients, with recording off, then zeroes the gradients.
 * Implementations follow PyTorch's definitions exactly so that the papers' hyper-parameters mean the same here.
 */
public interface Optimizer extends AutoCloseable {

    /** One update of every trainable parameter at learning rate {@code lr}. */
    void step(List<Parameter> parameters, double lr);

    /** The update of one parameter {@code p} with weight tensor {@code w} and gradient {@code g}. */
    @FunctionalInterface
    interface Update {
        void apply(Parameter p, NDArray w, NDArray g);
    }

    /**
     * Applies {@code update} to every trainable parameter that received a gradient, with recording off, and
     * zeroes each gradient afterwards (gradients accumulate across backward calls in libtorch).
     */
    static void forEachGradient(List<Parameter> parameters, Update update) {
        boolean before = Autograd.setRecording(false);
        try {
            for (Parameter p : parameters) {
                if (!p.trainable()) {
                    continue;
                }
                NDArray w = p.array();
                try (NDArray g = Autograd.gradient(w)) {
                    if (g != null) {
                        update.apply(p, w, g);
                        Autograd.zeroGradient(w);
                    }
                }
            }
        } finally {
            Autograd.setRecording(before);
        }
    }

    @Override
    default void close() {}
}
