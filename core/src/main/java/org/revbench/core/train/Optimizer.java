package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
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

    /**
     * Writes everything the next {@link #step} depends on besides the parameters (buffers by parameter position,
     * counters), bit-exact, so that a run restored with {@link #readState} continues exactly.
     */
    void writeState(DataOutput out, List<Parameter> parameters) throws IOException;

    /**
     * Replaces this optimizer's state with what {@link #writeState} wrote for the same parameter list. Fails
     * with a message naming the first thing that does not match (optimizer kind, parameter count, a buffer's
     * shape or dtype) and then leaves the current state as it was.
     */
    void readState(DataInput in, List<Parameter> parameters) throws IOException;

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
