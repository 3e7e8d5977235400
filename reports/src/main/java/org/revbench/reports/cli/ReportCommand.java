package org.revbench.reports.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultQuery;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.ResultsJson;
import org.revbench.harness.spec.Scale;
import org.revbench.reports.ReportBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code revbench report}: the HTML report from the results store (or an exported JSON file). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the report: an index and one page per paper, every results table with the paper's value "
                + "beside ours, charts, the invertibility audit and the provenance of every number.",
                "Reads the results store (as `run` writes it) or a JSON export; prints the index's path."})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scale", paramLabel = "SCALE", split = ",", defaultValue = "paper,cpu",
            description = "Scales to show, best first: a cell shows the first that has a measurement (default ${DEFAULT-VALUE}).")
    List<String> scales;

    @Mixin
    ReportOptions options;

    @Option(names = "--from", paramLabel = "RESULTS.json", description = "Read measurements from a JSON export instead of the store.")
    Path from;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        for (String s : scales) {
            Scale.parse(s); // a clear error for an unknown scale
        }
        List<Measurement> ms;
        String source;
        if (from != null) {
            ms = ResultsJson.read(from);
            source = from.toString();
        } else {
            try (ResultStore store = options.openStore()) {
                ms = store.find(ResultQuery.all());
                source = store.displayUrl();
            }
        }
        Path index = write(ms, scales, options.outOrDefault(), source);
        w.println(index.toAbsolutePath());
        w.flush();
        return 0;
    }

    static Path write(List<Measurement> ms, List<String> scales, Path out, String source) throws Exception {
        Provenance p = Provenance.collect(null);
        String generated = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " at commit "
                + (p.gitCommit() == null ? "unknown" : p.gitCommit().substring(0, Math.min(12, p.gitCommit().length())))
                + (Boolean.TRUE.equals(p.gitDirty()) ? " (with uncommitted changes)" : "");
        return new ReportBuilder().build(ms, scales, out, source, generated);
    }
}
