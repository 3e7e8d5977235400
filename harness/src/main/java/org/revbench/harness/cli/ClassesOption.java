package org.revbench.harness.cli;

import org.revbench.core.model.ModelOptions;
import picocli.CommandLine.Option;

/** {@code --classes}, when a command measures the model with its own number of classes (params, memory). */
final class ClassesOption {

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes (default: the model's).")
    Integer classes;

    /** {@code options} with the classes given, checked to be at least 2; unchanged without {@code --classes}. */
    ModelOptions applyTo(BaseCommand command, ModelOptions options) {
        if (classes == null) {
            return options;
        }
        command.requireAtLeast("--classes", classes, 2);
        return options.withClasses(classes);
    }
}
