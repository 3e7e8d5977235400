package org.revbench.harness.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.revbench.harness.Provenance;
import org.revbench.harness.gate.GateReport;
import org.revbench.harness.gate.MeasurementFile;
import org.revbench.harness.gate.MeasurementFileException;
import org.revbench.harness.gate.RegressionGate;
import org.revbench.harness.gate.StoreGate;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.run.GridRunner;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code revbench run}: the experiment grid of one or every spec at one scale, resuming what is stored. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run every row and protocol of a table's spec (or of all specs) at one scale, skipping what the "
                + "results store already holds for this commit and these settings; stop it any time and run it again "
                + "to resume.", "Tables: `revbench run --list`."})
final class RunCommand extends BaseCommand {

    @Mixin
    GridSelection selection;

    @Mixin
    GridOptions grid;

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
        java.util.Optional<List<ExperimentSpec>> selected = selection.resolve(s, out());
        if (selected.isEmpty()) {
            return 0; // listed
        }
        List<ExperimentSpec> specs = selected.get();
        startEngine();
        device(grid.device, selection.settings(specs, s), true);
        Provenance provenance = provenance();
        GridRunner.Summary summary;
        try (ResultStore store = db.open()) {
            summary = new GridRunner(store, provenance, out(), grid.workDirOrDefault()).run(specs, s, selection.rows(),
                    selection.protocols());
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
}
