package org.revbench.harness.cli;

import java.nio.file.Path;
import org.revbench.harness.spec.Scale;
import picocli.CommandLine.Option;

/**
 * How the experiment grid runs: at which scale, with checkpoints and logs where (mixed into {@code run} and the
 * report module's {@code reproduce}, which hands both on to {@code run}).
 */
public final class GridOptions {

    @Option(names = "--scale", paramLabel = "SCALE", defaultValue = "cpu",
            description = "paper, cpu or smoke (default ${DEFAULT-VALUE}).")
    String scale;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Checkpoints and logs (default: ~/.revbench/runs).")
    Path workDir;

    /** The scale; an {@link IllegalArgumentException} naming the known ones for any other name. */
    public Scale scale() {
        return Scale.parse(scale);
    }

    /** The folder given with {@code --work-dir}, or null for the default. */
    public Path workDir() { return workDir; }

    /** Where checkpoints and logs go: {@code --work-dir}, else ~/.revbench/runs. */
    Path workDirOrDefault() {
        return workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".revbench", "runs");
    }
}
