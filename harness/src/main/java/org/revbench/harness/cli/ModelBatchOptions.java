package org.revbench.harness.cli;

import ai.djl.ndarray.types.DataType;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model and the random batch a check runs on (mixed into {@code invert} and {@code gradcheck}). */
final class ModelBatchOptions {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model id with reversible stages.")
    String modelId;

    @Option(names = "--batch", defaultValue = "2", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    TimestepsOption timesteps;

    @Mixin
    DeviceOption device;

    @Option(names = "--seed", defaultValue = "2023", description = "Seed of the weights and the batch (default ${DEFAULT-VALUE}).")
    long seed;

    /** The definition's defaults with this seed, dtype and time steps; validates the values. */
    ModelOptions options(BaseCommand command, ModelDefinition def, DataType dtype) {
        command.requireAtLeast("--batch", batch, 1);
        return timesteps.applyTo(command, def.defaults().withSeed(seed).withDtype(dtype));
    }
}
