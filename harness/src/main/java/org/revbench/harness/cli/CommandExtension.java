package org.revbench.harness.cli;

import java.util.List;

/**
 * Subcommands that modules built on the harness add to {@code revbench} (the reports module adds {@code report}
 * and {@code reproduce}), registered through {@link java.util.ServiceLoader} as DJL registers its engines: the
 * harness never depends on them, and each appears whenever its module is on the class path.
 */
public interface CommandExtension {

    /** Picocli command objects, each annotated with {@code @Command(name = ...)}. */
    List<Object> commands();
}
