package org.revbench.reports.cli;

import java.nio.file.Path;
import org.revbench.harness.Provenance;
import org.revbench.harness.cli.StoreOptions;
import org.revbench.harness.result.ResultStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the report reads its measurements and where it writes: shared by {@code report} and {@code reproduce}. */
final class ReportOptions {

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: reports/target/report in this checkout).")
    Path out;

    @Mixin
    StoreOptions db;

    ResultStore openStore() {
        return db.open();
    }

    Path outOrDefault() {
        if (out != null) {
            return out;
        }
        String home = System.getProperty(Provenance.HOME_PROPERTY);
        return (home != null ? Path.of(home) : Path.of(".")).resolve("reports/target/report");
    }
}
