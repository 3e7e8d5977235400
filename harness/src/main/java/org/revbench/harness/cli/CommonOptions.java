package org.revbench.harness.cli;

import org.revbench.core.engine.Engines;
import picocli.CommandLine.Option;

/** Options every command takes (mixed into each command; {@code --help} comes with the standard mixin). */
public final class CommonOptions {

    @Option(names = "--json", description = "Print one JSON object as the last line of standard output.")
    boolean json;

    @Option(names = "--threads", paramLabel = "N",
            description = "libtorch intra-op threads (sets " + Engines.THREADS_PROPERTY + " before the engine starts; "
                    + "default: REVBENCH_THREADS or the number of cores).")
    Integer threads;
}
