package org.revbench.harness.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.revbench.harness.Provenance;
import org.revbench.harness.cluster.Worker;
import org.revbench.harness.protocol.Protocols;
import org.revbench.harness.result.ResultStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code revbench worker}: measures the store's work items of this checkout's code until none is left. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Claim the planned work items of this commit from the results store's queue one at a time (with a"
                + " lease its heartbeat renews), measure each, and store its numbers and mark it done in one transaction;"
                + " exit when nothing is left. Any number of workers, on any machines that reach the store and share the"
                + " work directory, split the queue. Needs a PostgreSQL store (--db or $REVBENCH_DB_URL)."})
final class WorkerCommand extends BaseCommand {

    @Mixin
    WorkDirOption workDir;

    @Option(names = "--lease", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long a claimed item stays this worker's without a heartbeat; a worker that died loses its"
                    + " item after this (default ${DEFAULT-VALUE}; the heartbeat comes every quarter of it).")
    double leaseSeconds;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "30",
            description = "While other workers' items run and nothing is planned, ask the queue again this often"
                    + " (default ${DEFAULT-VALUE}).")
    double pollSeconds;

    @Option(names = "--exit-when-idle",
            description = "Exit as soon as nothing is planned, instead of waiting for other workers' items (whose"
                    + " lease may run out).")
    boolean exitWhenIdle;

    @Option(names = "--max-items", paramLabel = "N", description = "Stop after N items.")
    Integer maxItems;

    @Mixin
    StoreOptions db;

    @Mixin
    DeviceOption deviceOption;

    @Override
    protected int run() {
        Worker.Options o;
        try {
            o = new Worker.Options(Math.round(leaseSeconds * 1000), Math.round(pollSeconds * 1000), exitWhenIdle,
                    maxItems);
        } catch (IllegalArgumentException e) {
            throw badOption(e.getMessage());
        }
        Worker.Summary s;
        Provenance provenance;
        try (ResultStore store = db.open()) {
            store.queue(); // refuses a store without a queue before the engine starts
            startEngine();
            device(deviceOption); // a worker claims the items planned for its device
            provenance = provenance();
            try {
                s = new Worker(store, new GridSelection().catalog()::get, provenance, out(), workDir.workDirOrDefault(),
                        Protocols::get, o, Worker.thisProcess(provenance)).run();
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, e.getMessage());
            }
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("worker", s.worker());
            m.put("done", s.done());
            m.put("failed", s.failed());
            m.put("lost", s.lost());
            m.put("taken_over", s.takenOver());
            m.put("seconds", s.seconds());
            printJson(m);
        }
        return s.failed() == 0 ? 0 : CliException.FAILED;
    }
}
