package org.revbench.harness.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.harness.Provenance;
import org.revbench.harness.cluster.WorkPlanner;
import org.revbench.harness.protocol.Protocols;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code revbench plan}: the grid's missing measurements as work items in a PostgreSQL store, for workers. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Write every measurement of the selected tables that the store lacks for this commit as a work item"
                + " into the results store's queue, for `revbench worker`s on any number of machines (`revbench submit`"
                + " starts them on Slurm). Planning twice adds nothing. Needs a PostgreSQL store (--db or $REVBENCH_DB_URL)."})
final class PlanCommand extends BaseCommand {

    @Mixin
    GridSelection selection;

    @Mixin
    ScaleOption scale;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
            description = "How often an item is tried (a failure, or a worker that died) before it stays failed"
                    + " (default ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Mixin
    StoreOptions db;

    @Mixin
    DeviceOption deviceOption;

    @Override
    protected int run() {
        Scale s;
        try {
            s = scale.scale();
        } catch (IllegalArgumentException e) {
            throw badOption(e.getMessage());
        }
        java.util.Optional<List<ExperimentSpec>> selected = selection.resolve(s, out());
        if (selected.isEmpty()) {
            return 0; // listed
        }
        List<ExperimentSpec> specs = selected.get();
        // the device the items are measured on (a worker measures only the items of its own device), not checked
        // here: the workers compute, elsewhere
        device(deviceOption, selection.settings(specs, s), false);
        Provenance code = provenance();
        WorkPlanner.Result r;
        try (ResultStore store = db.open()) {
            store.queue(); // refuses a store without a queue before anything else
            try {
                r = WorkPlanner.plan(store, specs, s, selection.rows(), selection.protocols(), Protocols::get, code,
                        maxAttempts);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, e.getMessage());
            }
            out().printf("planned %d work items of %s at %s scale for %s: %d new, %d planned before; %d tasks already"
                            + " stored for this code; %d rows do not run at this scale%n", r.items(),
                    String.join(", ", specs.stream().map(ExperimentSpec::id).toList()), s.id(), code.codeVersion(),
                    r.added(), r.items() - r.added(), r.stored(), r.notRun().size());
            out().println(r.items() == 0 ? "nothing to measure" : "start workers with `revbench worker` (any machine that"
                    + " reaches the store and the work directory) or `revbench submit --scheduler slurm --workers N`;"
                    + " `revbench status` shows the queue");
            out().flush();
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("specs", specs.stream().map(ExperimentSpec::id).toList());
            m.put("scale", s.id());
            m.put("code_version", code.codeVersion());
            m.put("items", r.items());
            m.put("added", r.added());
            m.put("stored", r.stored());
            m.put("not_run", r.notRun());
            printJson(m);
        }
        return 0;
    }
}
