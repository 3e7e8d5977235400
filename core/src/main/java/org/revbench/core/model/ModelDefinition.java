package org.revbench.core.model;

import ai.djl.ndarray.NDManager;

/**
 * One registered model: what it is, what it eats, and how to build it. Defaults (classes, time steps) are the
 * paper's; callers override them through {@link ModelOptions}.
 */
public interface ModelDefinition {

    /** Lower case with hyphens, e.g. {@code ms-resnet18}. */
    String id();

    /** The paper or baseline it comes from. */
    String paper();

    String description();

    InputSpec input();

    /** The options the paper trains it with. */
    ModelOptions defaults();

    /** Constructs and initialises the network; its tensors live in {@code manager}. */
    Network build(NDManager manager, ModelOptions options);
}
