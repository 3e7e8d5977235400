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

    /** How a registered model is built from options (the input spec already has the user's overrides). */
    @FunctionalInterface
    interface Builder {
        Network build(NDManager manager, InputSpec input, ModelOptions options);
    }

    /**
     * A definition from data plus a builder; {@link #build} applies the input-size overrides of the options
     * ({@link InputSpec#overriddenBy}) before calling it.
     */
    static ModelDefinition of(String id, String paper, String description, InputSpec input, ModelOptions defaults,
                              Builder builder) {
        return new ModelDefinition() {
            @Override
            public String id() { return id; }

            @Override
            public String paper() { return paper; }

            @Override
            public String description() { return description; }

            @Override
            public InputSpec input() { return input; }

            @Override
            public ModelOptions defaults() { return defaults; }

            @Override
            public Network build(NDManager manager, ModelOptions options) {
                return builder.build(manager, input.overriddenBy(options), options);
            }

            @Override
            public String toString() { return id; }
        };
    }
}
