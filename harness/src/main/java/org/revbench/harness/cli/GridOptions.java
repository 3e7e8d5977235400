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

    /** Where a cluster's workers find their shared work directory when no {@code --work-dir} is given. */
    public static final String WORK_DIR_ENV = "REVBENCH_WORK_DIR";

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Checkpoints and logs (default: $" + WORK_DIR_ENV + ", else ~/.revbench/runs); workers on several"
                    + " machines share one, so that a task another worker was killed in resumes from its checkpoint.")
    Path workDir;

    /** The scale; an {@link IllegalArgumentException} naming the known ones for any other name. */
    public Scale scale() {
        return Scale.parse(scale);
    }

    /** The folder given with {@code --work-dir}, or null for the default. */
    public Path workDir() { return workDir; }

    /** Where checkpoints and logs go: {@code --work-dir}, else {@value #WORK_DIR_ENV}, else ~/.revbench/runs. */
    Path workDirOrDefault() {
        String env = System.getenv(WORK_DIR_ENV);
        return workDir != null ? workDir : env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".revbench", "runs");
    }
}
