package org.revbench.harness.cli;

import org.revbench.harness.spec.Scale;
import picocli.CommandLine.Option;

/** At which scale a grid is measured: {@code --scale} (mixed into {@code run} through {@link GridOptions}, and {@code plan}). */
public final class ScaleOption {

    @Option(names = "--scale", paramLabel = "SCALE", defaultValue = "cpu",
            description = "paper, cpu or smoke (default ${DEFAULT-VALUE}).")
    String scale;

    /** The scale; an {@link IllegalArgumentException} naming the known ones for any other name. */
    public Scale scale() {
        return Scale.parse(scale);
    }
}
