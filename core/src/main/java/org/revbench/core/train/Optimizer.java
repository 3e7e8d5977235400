package org.revbench.core.train;

import java.util.List;
import org.revbench.core.nn.Parameter;

/**
 * Updates parameters from their accumulated gradients, with recording off, then zeroes the gradients.
 * Implementations follow PyTorch's definitions exactly so that the papers' hyper-parameters mean the same here.
 */
public interface Optimizer extends AutoCloseable {

    /** One update of every trainable parameter at learning rate {@code lr}. */
    void step(List<Parameter> parameters, double lr);

    @Override
    default void close() {}
}
