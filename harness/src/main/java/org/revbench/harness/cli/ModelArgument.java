package org.revbench.harness.cli;

import org.revbench.core.model.ModelDefinition;
import picocli.CommandLine.Parameters;

/** The model a command works on: the first positional argument (mixed into {@code params}, {@code memory}, {@code train}). */
final class ModelArgument {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model id (see `revbench models`).")
    String id;

    /** The model, or a usage error listing the known ids. */
    ModelDefinition definition() {
        return BaseCommand.model(id);
    }
}
