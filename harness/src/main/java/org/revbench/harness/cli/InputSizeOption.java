package org.revbench.harness.cli;

import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import picocli.CommandLine.Option;

/**
 * {@code --input-size}: the model's input height and width overridden (train, profile), so that a step can be timed
 * at the size the grid's cpu scale trains it (e.g. 32 for T-RevSNN's event model on simulated 34x34 recordings).
 */
final class InputSizeOption {

    @Option(names = "--input-size", paramLabel = "PIXELS",
            description = "Override the model's input height and width (e.g. 34 for frames of a 34x34 sensor).")
    Integer inputSize;

    /** {@code options} with the input size given, checked to be at least 8; unchanged without {@code --input-size}. */
    ModelOptions applyTo(BaseCommand command, ModelDefinition def, ModelOptions options) {
        if (inputSize == null) {
            return options;
        }
        command.requireAtLeast("--input-size", inputSize, 8);
        return InputSpec.withInput(options, def.input().channels(), inputSize, inputSize);
    }
}
