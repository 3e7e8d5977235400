package org.revbench.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.model.ModelRegistry;
import java.util.stream.Collectors;
import org.revbench.harness.Provenance;
import org.revbench.harness.gate.GateReport;
import org.revbench.harness.gate.MeasurementFile;
import org.revbench.harness.gate.MeasurementFileException;
import org.revbench.harness.gate.RegressionGate;
import org.revbench.harness.gate.StoreGate;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.protocol.Protocols;
import org.revbench.harness.run.GridRunner;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecCatalog;
import org.revbench.harness.spec.SpecException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code revbench run}: the experiment grid of one or every spec at one scale, resuming what is stored. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run every row and protocol of a table's spec (or of all specs) at one scale, skipping what the "
                + "results store already holds for this commit and these settings; stop it any time and run it again "
                + "to resume.", "Tables: `revbench run --list`."})
final class RunCommand extends BaseCommand {

    static final class Selection {
        @Option(names = "--table", paramLabel = "PAPER:TABLE", description = "A spec, e.g. pararevsnn:table2 (repeatable).")
        List<String> tables;

        @Option(names = "--all", description = "Every spec in the catalog.")
        boolean all;

        @Option(names = "--list", description = "List the specs and their rows, run nothing.")
        boolean list;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Mixin
    GridOptions grid;

    @Option(names = "--row", paramLabel = "ID", description = "Only these rows (repeatable; default: every row).")
    List<String> rows;

    @Option(names = "--protocol", paramLabel = "NAME",
            description = "Only these protocols (repeatable: static, memory, latency, train, invertibility, trajectory, crosscheck;"
                    + " default: all).")
    List<String> protocols;

    @Mixin
    StoreOptions db;

    @Option(names = "--gate", paramLabel = "BASELINE.json",
            description = "After the run, compare this commit's measurements of these tables with the baselines in the"
                    + " file and with the store's history; exit 1 on a regression.")
    Path gateBaseline;

    private boolean gateFailed;

    @Override
    protected int run() {
        Scale s;
        try {
            s = grid.scale();
        } catch (IllegalArgumentException e) {
            throw badOption(e.getMessage());
        }
        ModelRegistry registry = ModelRegistry.load();
        SpecCatalog catalog;
        List<ExperimentSpec> specs = new ArrayList<>();
        try {
            catalog = SpecCatalog.load(id -> registry.ids().contains(id));
            if (selection.list) {
                for (ExperimentSpec e : catalog.specs()) {
                    out().printf("%-26s %2d rows  %s%n", e.id(), e.rows().size(), e.title());
                }
                out().flush();
                return 0;
            }
            if (selection.all) {
                specs.addAll(catalog.specs());
            } else {
                for (String t : selection.tables) {
                    specs.add(catalog.get(t));
                }
            }
        } catch (SpecException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        }
        checkSelection(specs, s);
        startEngine();
        Provenance provenance = Provenance.collect(null);
        GridRunner.Summary summary;
        try (ResultStore store = db.open()) {
            summary = new GridRunner(store, provenance, out(), grid.workDirOrDefault()).run(specs, s,
                    id -> rows == null || rows.contains(id), p -> protocols == null || protocols.contains(p));
            if (gateBaseline != null) {
                List<Measurement> baselines;
                try {
                    baselines = MeasurementFile.read(gateBaseline);
                } catch (MeasurementFileException e) {
                    throw new CliException(CliException.USAGE, e.getMessage());
                }
                GateReport report = StoreGate.check(new RegressionGate(), store,
                        specs.stream().map(ExperimentSpec::id).collect(Collectors.toSet()), s.id(), provenance.gitCommit(),
                        baselines);
                out().println(report.render());
                out().flush();
                gateFailed = report.failed();
            }
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("specs", specs.stream().map(ExperimentSpec::id).toList());
            m.put("scale", s.id());
            m.put("planned", summary.planned());
            m.put("skipped", summary.skipped());
            m.put("ran", summary.ran());
            m.put("left_to_other_runs", summary.leftToOthers());
            m.put("failures", summary.failures());
            m.put("not_run", summary.notRun());
            m.put("seconds", summary.seconds());
            printJson(m);
        }
        return summary.failures().isEmpty() && !gateFailed ? 0 : CliException.FAILED;
    }

    /**
     * Refuses a selection that would measure nothing, which would otherwise "pass" by doing nothing: a {@code --row}
     * that no selected table has, or rows none of which runs at this scale. The message lists the rows there are.
     */
    private void checkSelection(List<ExperimentSpec> specs, Scale s) {
        List<String> known = specs.stream().flatMap(e -> e.rows().stream()).map(r -> r.id()).distinct().toList();
        String tables = specs.stream().map(ExperimentSpec::id).collect(Collectors.joining(", "));
        if (rows != null) {
            List<String> unknown = rows.stream().filter(r -> !known.contains(r)).toList();
            if (!unknown.isEmpty()) {
                throw new CliException(CliException.USAGE, "no row " + String.join(", ", unknown) + " in " + tables
                        + "; its rows: " + String.join(", ", known),
                        Map.of("unknown_rows", unknown, "rows", known), null);
            }
        }
        if (protocols != null) {
            List<String> unknown = protocols.stream().filter(p -> !Protocols.names().contains(p)).toList();
            if (!unknown.isEmpty()) {
                throw new CliException(CliException.USAGE, "no protocol " + String.join(", ", unknown) + "; protocols: "
                        + String.join(", ", Protocols.names()));
            }
        }
        List<String> notRun = new ArrayList<>();
        if (GridRunner.plan(specs, s, id -> rows == null || rows.contains(id),
                p -> protocols == null || protocols.contains(p), notRun).isEmpty()) {
            throw new CliException(CliException.USAGE, "nothing to measure: no selected row of " + tables + " runs at "
                    + s.id() + " scale" + (notRun.isEmpty() ? "" : " (" + String.join("; ", notRun) + ")")
                    + "; its rows: " + String.join(", ", known), Map.of("rows", known, "not_run", notRun), null);
        }
    }
}
