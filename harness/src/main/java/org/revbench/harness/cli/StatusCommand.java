package org.revbench.harness.cli;

import java.util.List;
import org.revbench.harness.cluster.QueueStatus;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.WorkQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code revbench status}: the work queue per table, with the running items' hosts and progress and the time left. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the results store's work queue per table: planned, running (which worker and host, since"
                + " when, its progress), done, failed (with the error), and the estimated time left."})
final class StatusCommand extends BaseCommand {

    @Option(names = "--table", paramLabel = "PAPER:TABLE", description = "Only these tables (repeatable).")
    List<String> tables;

    @Mixin
    StoreOptions db;

    @Override
    protected int run() {
        QueueStatus status;
        try (ResultStore store = db.open()) {
            WorkQueue q = store.queue();
            status = QueueStatus.of(q.items(tables), q.now());
        }
        out().println(status.render());
        out().flush();
        if (json()) {
            printJson(status.toMap());
        }
        return 0;
    }
}
