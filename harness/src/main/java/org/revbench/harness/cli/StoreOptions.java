package org.revbench.harness.cli;

import org.revbench.harness.result.ResultStore;
import picocli.CommandLine.Option;

/**
 * Which results store a command uses: {@code --db} (mixed into {@code run}, {@code results} and the report
 * module's {@code report} and {@code reproduce}). Public so that commands of other modules mix it in as well.
 */
public final class StoreOptions {

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "JDBC URL of the results store (default: $" + ResultStore.URL_ENV + ", else the H2 "
                    + "database under ~/.revbench/results); user and password from $" + ResultStore.USER_ENV
                    + " and $" + ResultStore.PASSWORD_ENV + ".")
    String db;

    /** The URL given with {@code --db}, or null for the default store. */
    public String url() { return db; }

    /** Opens the store {@code --db} names, else the default one; the caller closes it. */
    public ResultStore open() {
        return ResultStore.open(db);
    }
}
