package org.revbench.harness.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.MalformedResultsException;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultQuery;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.ResultStoreException;
import org.revbench.harness.result.ResultsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code revbench results list|export|import}: the measurements in the results store. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = "The results store: list measurements, export them to a JSON file, import such a file.",
        subcommands = {ResultsCommand.ListResults.class, ResultsCommand.Export.class, ResultsCommand.Import.class})
final class ResultsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** Shared: which store. */
    abstract static class StoreBase extends BaseCommand {
        @Mixin
        StoreOptions db;

        /** Opens the store, applies {@code work}, closes it (a store that fails is reported by BaseCommand). */
        <T> T withStore(Function<ResultStore, T> work) {
            try (ResultStore s = db.open()) {
                return work.apply(s);
            }
        }
    }

    /** The optional filters of list and export. */
    static final class Filters {
        @Option(names = "--table", paramLabel = "T", description = "Only spec table T, e.g. pararevsnn:table2.")
        String table;

        @Option(names = "--scale", paramLabel = "S", description = "Only scale S: paper, cpu or smoke.")
        String scale;

        @Option(names = "--commit", paramLabel = "C", description = "Only git commit C (a prefix is enough).")
        String commit;

        @Option(names = "--row", paramLabel = "R", description = "Only row R of the table.")
        String row;

        @Option(names = "--protocol", paramLabel = "P", description = "Only protocol P, e.g. memory or train.")
        String protocol;

        @Option(names = "--metric", paramLabel = "M", description = "Only metric M, e.g. mib_per_image.")
        String metric;

        ResultQuery query() {
            return ResultQuery.all().withTable(table).withScale(scale).withCommit(commit).withRow(row)
                    .withProtocol(protocol).withMetric(metric);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The stored measurements that match the filters, oldest first, one per line.")
    static final class ListResults extends StoreBase {
        @Mixin
        Filters filters;

        /** What a listing found, and in which store. */
        record Found(String store, List<Measurement> measurements) {}

        @Override
        protected int run() {
            Found found = withStore(s -> new Found(s.displayUrl(), s.find(filters.query())));
            List<Measurement> ms = found.measurements();
            if (ms.isEmpty()) {
                out().println("no measurements match in " + found.store());
            } else {
                printTable(ms);
            }
            out().flush();
            if (json()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                ms.forEach(m -> rows.add(ResultsJson.toMap(m)));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("store", found.store());
                m.put("count", ms.size());
                m.put("measurements", rows);
                printJson(m);
            }
            return 0;
        }

        private void printTable(List<Measurement> ms) {
            List<String[]> lines = new ArrayList<>();
            lines.add(new String[] {"TABLE", "ROW", "SCALE", "PROTOCOL", "METRIC", "VALUE", "UNIT", "SEED", "COMMIT",
                    "TIMESTAMP"});
            for (Measurement m : ms) {
                Provenance p = m.provenance();
                lines.add(new String[] {m.table(), m.row(), m.scale(), m.protocol(), m.metric(), format(m.value()),
                        m.unit(), m.seed() == null ? "-" : m.seed().toString(), shortCommit(p), p.timestamp()});
            }
            int[] width = new int[lines.get(0).length];
            for (String[] l : lines) {
                for (int i = 0; i < l.length; i++) {
                    width[i] = Math.max(width[i], l[i].length());
                }
            }
            for (String[] l : lines) {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < l.length; i++) {
                    // numbers right-aligned so that their digits line up
                    s.append(String.format(i == 5 ? "%" + width[i] + "s" : "%-" + width[i] + "s", l[i]));
                    s.append(i + 1 < l.length ? "  " : "");
                }
                out().println(s.toString().stripTrailing());
            }
        }

        /** Whole numbers (counts) exactly; others to six significant digits, no exponent: 29.64, 0.000125. */
        static String format(double v) {
            if (!Double.isFinite(v)) {
                return Double.toString(v);
            }
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }

        /** The commit as git abbreviates it, with "+" when the work tree had changes. */
        static String shortCommit(Provenance p) {
            String c = p.gitCommit().length() > 12 ? p.gitCommit().substring(0, 12) : p.gitCommit();
            return Boolean.TRUE.equals(p.gitDirty()) ? c + "+" : c;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the measurements that match the filters to a JSON file (an array of objects).")
    static final class Export extends StoreBase {
        @Option(names = "--out", paramLabel = "FILE", required = true, description = "The JSON file to write.")
        Path out;

        @Mixin
        Filters filters;

        @Override
        protected int run() {
            List<Measurement> ms = withStore(s -> s.find(filters.query()));
            try {
                ResultsJson.write(ms, out);
            } catch (IOException e) {
                throw new CliException(CliException.FAILED, "cannot write " + out + ": " + e);
            }
            out().println("exported " + ms.size() + " measurements to " + out);
            out().flush();
            if (json()) {
                printJson(Map.of("file", out.toString(), "count", ms.size()));
            }
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Add the measurements of a JSON file (as export writes) that the store does not have yet.")
    static final class Import extends StoreBase {
        @Parameters(index = "0", paramLabel = "FILE", description = "A JSON file written by `revbench results export`.")
        Path file;

        @Override
        protected int run() {
            if (!Files.isRegularFile(file)) {
                throw new CliException(CliException.USAGE, "no such file: " + file);
            }
            int added;
            try {
                added = withStore(s -> s.importJson(file));
            } catch (MalformedResultsException e) {
                throw new CliException(CliException.USAGE, e.getMessage());
            }
            out().println("imported " + added + " new measurements from " + file);
            out().flush();
            if (json()) {
                printJson(Map.of("file", file.toString(), "added", added));
            }
            return 0;
        }
    }
}
