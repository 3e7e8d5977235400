package org.revbench.harness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.data.catalog.DataDirectory;
import org.revbench.core.data.catalog.DatasetCatalog;
import org.revbench.core.data.catalog.DatasetCheck;
import org.revbench.core.data.catalog.DatasetFetcher;
import org.revbench.core.data.catalog.MissingDatasetException;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.event.TimestampOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code revbench data check|fetch|list}: where the datasets are and whether they are intact. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Datasets: list them, check presence and checksums, fetch and extract archives.",
        subcommands = {DataCommand.ListDatasets.class, DataCommand.Check.class, DataCommand.Fetch.class,
                MakeEventsCommand.class})
final class DataCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** Shared: the data directory option. */
    abstract static class DataBase extends BaseCommand {
        @Mixin
        DataDirOption dataDir;

        DataDirectory dir() { return dataDir.resolve(); }

        DatasetCatalog.Dataset dataset(String name) {
            try {
                return DatasetCatalog.load().get(name);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, e.getMessage());
            }
        }

        Map<String, Object> reportMap(DatasetCheck.Report r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", r.dataset().name);
            m.put("root", r.root().toString());
            m.put("ok", r.ok());
            if (!r.ok()) {
                m.put("error", r.firstProblem()); // scripts find the first problem where every failure puts it
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (DatasetCheck.Row row : r.rows()) {
                rows.add(Map.of("item", row.item(), "status", row.status().toString().toLowerCase(java.util.Locale.ROOT),
                        "detail", row.detail()));
            }
            m.put("items", rows);
            return m;
        }

        void printReport(DatasetCheck.Report r) {
            out().println(r.dataset().title + " at " + r.root());
            for (DatasetCheck.Row row : r.rows()) {
                out().printf("  %-8s %s: %s%n", row.status(), row.item(), row.detail());
            }
            out().flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The catalogued datasets and where each is looked for.")
    static final class ListDatasets extends DataBase {
        @Override
        protected int run() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (DatasetCatalog.Dataset d : DatasetCatalog.load().all()) {
                Path at = dir().locate(d);
                out().printf("%-15s %s  [%s]%n", d.name, d.title, at);
                rows.add(Map.of("name", d.name, "title", d.title, "location", at.toString()));
            }
            out().flush();
            if (json()) {
                printJson(Map.of("datasets", rows, "data_dir", dir().root().toString()));
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Verify that dataset NAME is present and intact (sizes and checksums; every recording of an "
                    + "event dataset read in full: headers, event blocks, timestamps in order within "
                    + TimestampOrder.TOLERANCE_US + " us)."})
    static final class Check extends DataBase {
        @Parameters(index = "0", paramLabel = "NAME", description = "Dataset name (see `revbench data list`).")
        String name;

        @Option(names = "--quick",
                description = "Sizes only, no checksums of large files; recordings' headers and block lengths only.")
        boolean quick;

        @Option(names = "--data-root", paramLabel = "DIR",
                description = "Check this folder as dataset NAME, e.g. one written by `revbench data make-events` "
                        + "(its layout is the reader's; the published dataset's folder names and counts do not apply).")
        Path dataRoot;

        @Override
        protected int run() {
            DatasetCatalog.Dataset d = dataset(name);
            DatasetCheck.Report r = dataRoot != null ? DatasetCheck.checkFolder(d, dataRoot, !quick)
                    : DatasetCheck.check(d, dir().locate(d), !quick);
            printReport(r);
            if (!r.ok()) {
                err().println(r.advice());
                err().flush();
            }
            if (json()) {
                printJson(reportMap(r));
            }
            return r.ok() ? 0 : CliException.FAILED;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download (where a public URL exists) or take the placed archives of NAME, verify their MD5, extract.")
    static final class Fetch extends DataBase {
        @Parameters(index = "0", paramLabel = "NAME", description = "Dataset name.")
        String name;

        @Override
        protected int run() {
            DatasetCatalog.Dataset d = dataset(name);
            try {
                DatasetCheck.Report r = new DatasetFetcher(Duration.ofSeconds(20), s -> {
                    err().println(s);
                    err().flush();
                }).fetch(d, dir().placeOf(d.name));
                printReport(r);
                if (json()) {
                    printJson(reportMap(r));
                }
                return r.ok() ? 0 : CliException.FAILED;
            } catch (MissingDatasetException e) {
                throw new CliException(CliException.FAILED, e.getMessage());
            } catch (DatasetFormatException e) {
                throw new CliException(CliException.FAILED, e.getMessage());
            } catch (IOException e) {
                throw new CliException(CliException.FAILED, "fetch failed: " + e);
            }
        }
    }
}
