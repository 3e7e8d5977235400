package org.revbench.core.data.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Where datasets live: {@code --data-dir}, else the environment variable {@code REVBENCH_DATA}, else
 * {@code ~/.revbench/data}. Dataset {@code NAME} lives in {@code DIR/NAME}; a dataset a system package installs
 * (Fashion-MNIST from Debian's {@code dataset-fashion-mnist}) is also found in its system directory.
 */
public final class DataDirectory {

    public static final String ENV = "REVBENCH_DATA";

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** {@code option} if given, else {@code REVBENCH_DATA}, else the default under the user's home. */
    public static DataDirectory resolve(Path option) {
        if (option != null) {
            return new DataDirectory(option);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new DataDirectory(Paths.get(env));
        }
        return new DataDirectory(Paths.get(System.getProperty("user.home"), ".revbench", "data"));
    }

    public Path root() { return root; }

    /** Where dataset {@code name} is placed in this data directory. */
    public Path placeOf(String name) { return root.resolve(name); }

    /** Candidate roots for a dataset, in search order: the data directory, then system directories. */
    public List<Path> candidates(DatasetCatalog.Dataset d) {
        List<Path> c = new ArrayList<>();
        c.add(placeOf(d.name));
        for (String s : d.systemDirs) {
            c.add(Paths.get(s));
        }
        return c;
    }

    /** The first candidate root that exists, or the data-directory place when none does. */
    public Path locate(DatasetCatalog.Dataset d) {
        for (Path p : candidates(d)) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return placeOf(d.name);
    }
}
