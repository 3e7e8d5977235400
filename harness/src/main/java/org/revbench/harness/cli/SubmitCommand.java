package org.revbench.harness.cli;

import org.revbench.core.engine.Devices;
import org.revbench.harness.result.WorkItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.harness.Provenance;
import org.revbench.harness.cluster.SlurmSubmission;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.WorkQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code revbench submit}: N workers as one Slurm array job. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit N `revbench worker`s as one Slurm array job (one worker per array task, a log each), against"
                + " the results store and work directory given here; --dry-run prints the sbatch script instead. Plan the"
                + " work first (`revbench plan`)."})
final class SubmitCommand extends BaseCommand {

    @Option(names = "--scheduler", paramLabel = "NAME", required = true, description = "The batch scheduler: slurm.")
    String scheduler;

    @Option(names = "--workers", paramLabel = "N", required = true, description = "How many workers (array tasks).")
    int workers;

    @Option(names = "--gpus-per-worker", paramLabel = "G", description = "GPUs per worker (--gres=gpu:G).")
    Integer gpusPerWorker;

    @Option(names = "--cpus-per-worker", paramLabel = "C",
            description = "CPUs per worker (--cpus-per-task; default: the cluster's); also each worker's --threads.")
    Integer cpusPerWorker;

    @Option(names = "--partition", paramLabel = "P", description = "The Slurm partition (default: the cluster's).")
    String partition;

    @Option(names = "--time", paramLabel = "HH:MM:SS", description = "Each worker's time limit (default: the partition's).")
    String time;

    @Mixin
    WorkDirOption workDir;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "Where each worker's log goes (default: WORK_DIR/slurm).")
    Path logDir;

    @Option(names = "--lease", paramLabel = "SECONDS", description = "The workers' --lease.")
    Double lease;

    @Option(names = "--poll", paramLabel = "SECONDS", description = "The workers' --poll.")
    Double poll;

    @Option(names = "--dry-run", description = "Print the sbatch script; submit nothing.")
    boolean dryRun;

    @Mixin
    StoreOptions db;

    @Mixin
    DeviceOption deviceOption;

    @Override
    protected int run() {
        if (!"slurm".equals(scheduler)) {
            throw badOption("--scheduler: only slurm is supported, got " + scheduler);
        }
        Path work = workDir.workDirOrDefault().toAbsolutePath();
        Path logs = (logDir != null ? logDir : work.resolve("slurm")).toAbsolutePath();
        String url = db.url() != null ? db.url() : System.getenv(ResultStore.URL_ENV);
        Provenance code = Provenance.collect(null);
        // the workers' device (checked where they run, not here): --device, else a GPU where each worker is given one
        ai.djl.Device named = deviceOption.named();
        String device = named != null ? Devices.name(named)
                : gpusPerWorker != null && gpusPerWorker > 0 ? "cuda:0" : WorkItem.CPU;
        int planned;
        try (ResultStore store = db.open()) {
            WorkQueue.Counts c = store.queue().counts(code.gitCommit(), code.treeState(), device);
            planned = c.planned() + c.runningExpired();
            if (planned == 0 && !dryRun) {
                String mine = code.codeVersion() + " on ";
                String other = c.otherCodePlanned() == 0 ? ""
                        : c.otherCode().startsWith(mine) // this code's items, for another device
                        ? "; " + c.otherCodePlanned() + " items are planned for " + c.otherCode() + ": submit them with"
                                + " --device " + c.otherCode().substring(mine.length()) + " or --gpus-per-worker"
                        : "; " + c.otherCodePlanned() + " items are planned for " + c.otherCode() + ", submit from that"
                                + " checkout";
                throw new CliException(CliException.USAGE, "nothing is planned for this checkout's code ("
                        + code.codeVersion() + ") on " + device + " in " + store.displayUrl() + other
                        + "; plan first: `revbench plan --table PAPER:TABLE --scale SCALE`");
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ResultStore.URL_ENV, url);
        env.put(ResultStore.USER_ENV, System.getenv(ResultStore.USER_ENV));
        env.put(WorkDirOption.WORK_DIR_ENV, work.toString());
        List<String> command = new ArrayList<>(SlurmSubmission.launcher());
        command.add("worker");
        command.add("--device");
        command.add(device); // Slurm makes a worker's own GPU its cuda:0
        Integer threads = cpusPerWorker != null ? cpusPerWorker : common.threads;
        if (threads != null) {
            command.add("--threads");
            command.add(threads.toString());
        }
        if (lease != null) {
            command.add("--lease");
            command.add(lease.toString());
        }
        if (poll != null) {
            command.add("--poll");
            command.add(poll.toString());
        }
        SlurmSubmission sub;
        try {
            sub = new SlurmSubmission(workers, gpusPerWorker, cpusPerWorker, partition, time, logs, env, command);
        } catch (IllegalArgumentException e) {
            throw badOption(e.getMessage());
        }
        if (dryRun) {
            out().print(sub.script());
            out().flush();
            if (json()) {
                printJson(Map.of("script", sub.script(), "planned", planned));
            }
            return 0;
        }
        Path file = logs.resolve("revbench-workers-" + Provenance.now().replace(":", "") + ".sbatch");
        String job;
        try {
            job = sub.submit(file, System.getenv().getOrDefault("REVBENCH_SBATCH", "sbatch"));
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted while submitting");
        }
        out().printf("submitted job %s: %d workers for %d planned items (%s); logs in %s; `revbench status` shows the"
                + " queue%n", job, workers, planned, file, logs);
        out().flush();
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", job);
            m.put("workers", workers);
            m.put("planned", planned);
            m.put("script", file.toString());
            m.put("log_dir", logs.toString());
            printJson(m);
        }
        return 0;
    }
}
