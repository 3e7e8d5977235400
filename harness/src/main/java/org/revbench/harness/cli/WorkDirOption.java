package org.revbench.harness.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a grid keeps checkpoints and logs: {@code --work-dir} (mixed into {@code run} through {@link GridOptions}, and
 * into {@code worker} and {@code submit}, whose workers share one on a cluster).
 */
public final class WorkDirOption {

    /** Where a cluster's workers find their shared work directory when no {@code --work-dir} is given. */
    public static final String WORK_DIR_ENV = "REVBENCH_WORK_DIR";

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Checkpoints and logs (default: $" + WORK_DIR_ENV + ", else ~/.revbench/runs); workers on several"
                    + " machines share one, so that a task another worker was killed in resumes from its checkpoint.")
    Path workDir;

    /** The folder given with {@code --work-dir}, or null for the default. */
    public Path workDir() { return workDir; }

    /** Where checkpoints and logs go: {@code --work-dir}, else {@value #WORK_DIR_ENV}, else ~/.revbench/runs. */
    Path workDirOrDefault() {
        String env = System.getenv(WORK_DIR_ENV);
        return workDir != null ? workDir : env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".revbench", "runs");
    }
}
