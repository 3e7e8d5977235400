package org.revbench.harness.cli;

import java.nio.file.Path;
import org.revbench.core.data.catalog.DataDirectory;
import picocli.CommandLine.Option;

/** Where the datasets are: {@code --data-dir} (mixed into the {@code data} commands and {@code train}). */
final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $" + DataDirectory.ENV + ", else ~/.revbench/data).")
    Path dir;

    /** {@code --data-dir}, else {@code $REVBENCH_DATA}, else ~/.revbench/data. */
    DataDirectory resolve() {
        return DataDirectory.resolve(dir);
    }
}
