package org.revbench.harness.cli;

import org.revbench.core.model.ModelOptions;
import picocli.CommandLine.Option;

/** {@code --timesteps}, where the model's own number is the default (params, invert, gradcheck). */
final class TimestepsOption {

    @Option(names = "--timesteps", paramLabel = "T", description = "Time steps (default: the model's).")
    Integer timesteps;

    /** {@code options} with the time steps given, checked to be at least 1; unchanged without {@code --timesteps}. */
    ModelOptions applyTo(BaseCommand command, ModelOptions options) {
        if (timesteps == null) {
            return options;
        }
        command.requireAtLeast("--timesteps", timesteps, 1);
        return options.withTimesteps(timesteps);
    }
}
