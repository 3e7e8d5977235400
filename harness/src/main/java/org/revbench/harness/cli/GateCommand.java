package org.revbench.harness.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.harness.gate.GateReport;
import org.revbench.harness.gate.InMemoryHistory;
import org.revbench.harness.gate.MeasurementFile;
import org.revbench.harness.gate.MeasurementFileException;
import org.revbench.harness.gate.RegressionGate;
import org.revbench.harness.gate.RuleSet;
import org.revbench.harness.gate.RulesFile;
import org.revbench.harness.gate.RulesFileException;
import org.revbench.harness.result.Measurement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code revbench gate --current FILE --baseline FILE}: the regression gate over two measurements files. Public
 * (unlike the other commands) so that the gate's tests can run it in-process before it is registered.
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = {"Compare a run's measurements with committed baselines, each metric by its rule "
                + "(exact counts, memory within 1 %%, accuracy against the seeds' spread, timings by z-score "
                + "against their history, invertibility error below a bound): one line per key, then a summary.",
                "Exit status: 0 nothing regressed, 1 something regressed or a baseline key was not measured, "
                        + "2 a file could not be read."})
public final class GateCommand extends BaseCommand {

    @Option(names = "--current", required = true, paramLabel = "FILE.json",
            description = "The run's measurements: a JSON array of measurement objects.")
    Path current;

    @Option(names = "--baseline", required = true, paramLabel = "FILE.json",
            description = "The committed baseline measurements, same format.")
    Path baseline;

    @Option(names = "--history", paramLabel = "FILE.json",
            description = "Earlier measurements, oldest first, for the z-score rules (timings). Default: the "
                    + "baseline file's own entries, where a key listed several times is a history.")
    Path history;

    @Option(names = "--rules", paramLabel = "FILE.yaml",
            description = "Rules to use instead of the shipped gate/rules.yaml.")
    Path rules;

    @Option(names = "--allow-missing",
            description = "Report baseline keys the run did not measure without failing.")
    boolean allowMissing;

    @Option(names = "--fail-on-new", negatable = true,
            description = "Fail when a key metric of the rules (key_metrics) has no baseline or its spec changed: the "
                    + "baseline must be refreshed in the same change. Default: on where the environment sets CI.")
    Boolean failOnNew;

    @Override
    protected int run() {
        RuleSet ruleSet = ruleSet();
        List<Measurement> now = read("--current", current);
        List<Measurement> before = read("--baseline", baseline);
        List<Measurement> past = history == null ? before : read("--history", history);
        GateReport report = new RegressionGate(ruleSet, !allowMissing,
                failOnNew != null ? failOnNew : RegressionGate.inCi()).check(now, before, new InMemoryHistory(past));
        out().print(report.render());
        out().flush();
        if (report.failed()) {
            // the table says which; this line is for the log of a CI job that only shows stderr
            err().println(spec.qualifiedName() + ": failed: " + report.summary());
            err().flush();
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", spec.name());
            m.put("current", current.toString());
            m.put("baseline", baseline.toString());
            m.put("rules", ruleSet.source());
            m.putAll(report.toMap());
            printJson(m);
        }
        return report.failed() ? CliException.FAILED : 0;
    }

    private RuleSet ruleSet() {
        try {
            return rules == null ? RuleSet.defaults() : RulesFile.load(rules);
        } catch (RulesFileException e) {
            throw new CliException(CliException.USAGE, "--rules: " + e.getMessage(), Map.of(), e);
        }
    }

    private static List<Measurement> read(String option, Path file) {
        try {
            return MeasurementFile.read(file);
        } catch (MeasurementFileException e) {
            throw new CliException(CliException.USAGE, option + ": " + e.getMessage(), Map.of(), e);
        }
    }
}
