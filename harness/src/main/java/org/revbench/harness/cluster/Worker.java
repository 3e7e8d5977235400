package org.revbench.harness.cluster;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.revbench.harness.Provenance;
import org.revbench.harness.bench.NodeLock;
import org.revbench.harness.protocol.Protocol;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.WorkItem;
import org.revbench.harness.result.WorkQueue;
import org.revbench.harness.run.GridRunner;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.RowSettings;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecRow;

/**
 * {@code revbench worker}: takes the work items of its own code version from the store's queue one at a time and
 * measures them, until none is left. Each item is claimed with a lease that a heartbeat renews every quarter of the
 * lease while the protocol runs (with the protocol's last log line as its progress); the measurements are stored and
 * the item marked done in one transaction. A worker killed with SIGKILL leaves its lease to run out, and the next
 * worker takes the item over and resumes the training from its last epoch checkpoint in the shared work directory;
 * one stopped by SIGTERM (a Slurm time limit, {@code scancel}) gives its item back at once, attempt uncounted.
 *
 * <p>While nothing is claimable but other workers' items are running, the worker waits (their lease may run out), and
 * exits once nothing of its code version is planned or running; {@code exitWhenIdle} exits as soon as nothing is
 * planned.
 */
public final class Worker {

    /**
     * How a worker runs.
     *
     * @param leaseMillis  how long a claim lives without a heartbeat
     * @param pollMillis   how long to wait before asking the queue again while others' items run
     * @param exitWhenIdle exit when nothing is planned, without waiting for others' items
     * @param maxItems     stop after this many items (null: no limit)
     */
    public record Options(long leaseMillis, long pollMillis, boolean exitWhenIdle, Integer maxItems) {
        public Options {
            if (leaseMillis < 2000) {
                throw new IllegalArgumentException("the lease must be at least 2 s, got " + leaseMillis + " ms");
            }
            if (pollMillis < 100) {
                throw new IllegalArgumentException("the poll interval must be at least 0.1 s, got " + pollMillis + " ms");
            }
        }
    }

    /** What a worker did: items measured and stored, failed, lost to another worker, and taken over from one. */
    public record Summary(String worker, int done, int failed, int lost, int takenOver, double seconds) {}

    private final ResultStore store;
    private final WorkQueue queue;
    private final Function<String, ExperimentSpec> specs;
    private final Provenance provenance;
    private final PrintWriter out;
    private final Path workRoot;
    private final Function<String, Protocol> protocols;
    private final Options options;
    private final WorkQueue.WorkerId id;
    private final GridRunner grid;

    /** The protocols whose numbers are timings ({@link Protocol#timed()}). */
    private final java.util.Set<String> timed;

    /** The item being measured, for the shutdown hook; null between items. */
    private volatile WorkItem current;

    public Worker(ResultStore store, Function<String, ExperimentSpec> specs, Provenance provenance, PrintWriter out, Path workRoot,
                  Function<String, Protocol> protocols, Options options, WorkQueue.WorkerId id) {
        this.store = store;
        this.queue = store.queue();
        this.specs = specs;
        this.provenance = provenance;
        this.out = out;
        this.workRoot = workRoot;
        this.protocols = protocols;
        this.options = options;
        this.id = id;
        this.grid = new GridRunner(store, provenance, out, workRoot, protocols);
        this.timed = org.revbench.harness.protocol.Protocols.names().stream().filter(n -> protocols.apply(n).timed())
                .collect(java.util.stream.Collectors.toSet());
    }

    /**
     * This process's worker name: the Slurm array task where it runs in one ({@code slurm-JOB_TASK}), then a part of
     * the run id, so that two workers never share a name.
     */
    public static WorkQueue.WorkerId thisProcess(Provenance provenance) {
        String job = System.getenv("SLURM_ARRAY_JOB_ID");
        String task = System.getenv("SLURM_ARRAY_TASK_ID");
        String jobId = System.getenv("SLURM_JOB_ID");
        String slurm = job != null && task != null ? "slurm-" + job + "_" + task + "-" : jobId != null ? "slurm-" + jobId + "-" : "";
        return new WorkQueue.WorkerId(slurm + provenance.runId().substring(0, 8), Provenance.host(),
                ProcessHandle.current().pid());
    }

    /** Runs until the queue has nothing left for this code version (or {@code maxItems} are done). */
    public Summary run() {
        long start = System.nanoTime();
        int done = 0;
        int failed = 0;
        int lost = 0;
        int takenOver = 0;
        String code = provenance.codeVersion();
        if (code == null) {
            throw new IllegalArgumentException("the code version of this checkout cannot be told (commit "
                    + provenance.gitCommit() + ", tree " + provenance.treeState() + "), so no planned item can be known to"
                    + " be this code's; run the worker from the git checkout that planned the items");
        }
        out.printf(Locale.ROOT, "worker %s: store %s, code %s, lease %s, work directory %s%n", id,
                store.displayUrl(), code, GridRunner.duration(options.leaseMillis() / 1000.0), workRoot);
        out.flush();
        Thread hook = new Thread(this::giveBackOnShutdown, "revbench-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            boolean waited = false;
            while (options.maxItems() == null || done + failed + lost < options.maxItems()) {
                Optional<WorkQueue.Lease> lease = claim();
                if (lease.isEmpty()) {
                    WorkQueue.Counts c = queue.counts(provenance.gitCommit(), provenance.treeState(), provenance.deviceName());
                    if (c.planned() == 0 && (c.running() == 0 || options.exitWhenIdle()) && c.runningExpired() == 0) {
                        out.printf(Locale.ROOT, "worker %s: nothing left to claim for %s (%d done, %d failed, %d running"
                                        + " on other workers)%s%n", id.name(), code, c.done(), c.failed(), c.running(),
                                c.otherCodePlanned() == 0 ? "" : "; " + c.otherCodePlanned() + " items are planned for"
                                        + " other code (" + c.otherCode() + "): a worker of that checkout measures them");
                        break;
                    }
                    if (!waited) {
                        out.printf(Locale.ROOT, "worker %s: nothing to claim now; %d items running on other workers, the"
                                        + " first lease ends in %s unless renewed: waiting (every %s)%n", id.name(),
                                c.running(), c.nextLeaseEndsInMillis() == null ? "?" : GridRunner.duration(c.nextLeaseEndsInMillis() / 1000.0),
                                GridRunner.duration(options.pollMillis() / 1000.0));
                        out.flush();
                        waited = true;
                    }
                    Thread.sleep(options.pollMillis());
                    continue;
                }
                waited = false;
                WorkItem item = lease.get().item();
                if (lease.get().takenOver() != null) {
                    takenOver++;
                    out.printf(Locale.ROOT, "worker %s: taking over item %d (%s), attempt %d of %d: %s%n", id.name(),
                            item.id(), item.label(), item.attempts(), item.maxAttempts(), lease.get().takenOver());
                }
                switch (measure(item)) {
                    case DONE -> done++;
                    case FAILED -> failed++;
                    case LOST -> lost++;
                }
                out.println("    " + queueLine());
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "worker %s: %d items done, %d failed, %d lost to other workers, %d taken over, in %.0f s%n",
                id.name(), done, failed, lost, takenOver, s);
        out.flush();
        return new Summary(id.name(), done, failed, lost, takenOver, s);
    }

    /** The whole queue in one line, after each item: what is left, on how many workers, and about how long. */
    private String queueLine() {
        try {
            QueueStatus q = QueueStatus.of(queue.items(List.of()), queue.now());
            int planned = q.tables().stream().mapToInt(QueueStatus.TableStatus::planned).sum();
            int running = q.tables().stream().mapToInt(t -> t.running().size()).sum();
            int doneAll = q.tables().stream().mapToInt(QueueStatus.TableStatus::done).sum();
            int failedAll = q.tables().stream().mapToInt(QueueStatus.TableStatus::failed).sum();
            return String.format(Locale.ROOT, "queue: %d done, %d failed, %d running on %d workers, %d planned%s",
                    doneAll, failedAll, running, q.workers(), planned, planned + running == 0 ? ""
                            : q.withoutEstimate() == planned + running ? "; time left unknown (no earlier durations)"
                            : "; about " + GridRunner.duration(q.secondsLeft()) + " left");
        } catch (RuntimeException e) {
            return "queue: unreadable (" + e.getMessage() + ")";
        }
    }

    /**
     * The next item: while other RevBench measurements run on this machine, one that is not a timing (a timing would
     * wait for them all to end, NodeLock), else any.
     */
    private Optional<WorkQueue.Lease> claim() {
        Optional<WorkQueue.Lease> lease = Optional.empty();
        if (!timed.isEmpty() && !NodeLock.others(null).isEmpty()) {
            lease = queue.claim(id, provenance.gitCommit(), provenance.treeState(), provenance.deviceName(), options.leaseMillis(), timed);
        }
        return lease.isPresent() ? lease
                : queue.claim(id, provenance.gitCommit(), provenance.treeState(), provenance.deviceName(), options.leaseMillis(), java.util.Set.of());
    }

    private enum Outcome { DONE, FAILED, LOST }

    private Outcome measure(WorkItem item) {
        current = item;
        LastLine progress = new LastLine(out);
        PrintWriter log = new PrintWriter(progress, true);
        AtomicBoolean held = new AtomicBoolean(true);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "revbench-worker-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(500, options.leaseMillis() / 4);
        heartbeat.scheduleWithFixedDelay(() -> beat(item, progress, held), every, every, TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        try {
            out.printf(Locale.ROOT, "worker %s: item %d: %s (%s), attempt %d of %d%s%n", id.name(), item.id(), item.label(),
                    item.model(), item.attempts(), item.maxAttempts(), item.estimateSeconds() == null ? ""
                            : String.format(Locale.ROOT, ", about %s", GridRunner.duration(item.estimateSeconds())));
            out.flush();
            GridRunner.Task task = task(item);
            Scale scale = Scale.parse(item.scale());
            List<Long> missing = GridRunner.missingSeeds(store, protocols.apply(item.protocol()), task, scale, provenance);
            List<Measurement> ms = missing.isEmpty() ? List.of() : grid.measure(task, scale, log);
            heartbeat.shutdownNow();
            double s = (System.nanoTime() - t0) / 1e9;
            WorkQueue.Completion c = queue.complete(item.id(), id, ms, s);
            switch (c) {
                case STORED -> out.printf(Locale.ROOT, "    stored %d measurements in %.1f s%s%n", ms.size(), s,
                        missing.isEmpty() ? " (none: the store held them already)" : "");
                case STORED_BEFORE -> out.println("    stored meanwhile by another run: this attempt's numbers are not"
                        + " stored again");
                case LOST -> out.println("    lost the lease to another worker (no heartbeat reached the store in time):"
                        + " nothing stored");
            }
            out.flush();
            return c == WorkQueue.Completion.LOST ? Outcome.LOST : Outcome.DONE;
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            String state = queue.fail(item.id(), id, msg);
            out.printf(Locale.ROOT, "    FAILED: %s: %s (%s)%n", item.label(), msg, state == null ? "the item was no longer"
                    + " this worker's" : WorkItem.FAILED.equals(state) ? "no attempt left: the item stays failed"
                    : "returned to the queue");
            out.flush();
            return state == null ? Outcome.LOST : Outcome.FAILED;
        } finally {
            heartbeat.shutdownNow();
            current = null;
        }
    }

    private void beat(WorkItem item, LastLine progress, AtomicBoolean held) {
        try {
            boolean still = queue.heartbeat(item.id(), id, options.leaseMillis(), progress.last());
            if (!still && held.getAndSet(false)) {
                out.printf(Locale.ROOT, "    worker %s lost item %d to another worker: its lease ran out; this attempt's"
                        + " numbers will not be stored%n", id.name(), item.id());
                out.flush();
            }
        } catch (RuntimeException e) {
            out.println("    heartbeat failed (the lease ages until the next one): " + e.getMessage());
            out.flush();
        }
    }

    /**
     * The grid task of {@code item}, from this checkout's specs ({@code specs} gives a table's spec by its id, as
     * {@link org.revbench.harness.spec.SpecCatalog#get} does); an item the specs no longer match fails.
     */
    GridRunner.Task task(WorkItem item) {
        ExperimentSpec spec = specs.apply(item.table());
        SpecRow row = spec.row(item.row()).orElseThrow(() -> new IllegalArgumentException("work item " + item.id()
                + ": " + item.table() + " has no row " + item.row() + " in this checkout"));
        RowSettings s = row.at(Scale.parse(item.scale()));
        String hash = s.hash(row.model());
        if (!hash.equals(item.specHash())) {
            throw new IllegalArgumentException("work item " + item.id() + ": the spec row " + item.row() + " hashes to "
                    + hash + " here but " + item.specHash() + " when it was planned");
        }
        if (s.notRun() != null || !s.protocols().contains(item.protocol())) {
            throw new IllegalArgumentException("work item " + item.id() + ": " + item.label() + " is not measured by"
                    + " this checkout's spec");
        }
        List<Long> seeds = item.seed() == null ? s.seeds() : List.of(item.seed());
        return new GridRunner.Task(spec, row, s, item.protocol(), seeds);
    }

    /** SIGTERM (a Slurm time limit, scancel): the item in flight goes back to the queue at once, attempt uncounted. */
    private void giveBackOnShutdown() {
        WorkItem item = current;
        if (item == null) {
            return;
        }
        try {
            if (queue.giveBack(item.id(), id, "the worker was stopped (SIGTERM: a time limit, scancel or Ctrl-C)")) {
                out.printf(Locale.ROOT, "worker %s: stopped; item %d (%s) returned to the queue%n", id.name(), item.id(),
                        item.label());
                out.flush();
            }
        } catch (RuntimeException e) {
            // the store is gone: the lease runs out instead
        }
    }

    /** A writer that passes everything on to {@code target} and keeps the last non-blank line: the item's progress. */
    static final class LastLine extends Writer {
        private final PrintWriter target;
        private final StringBuilder line = new StringBuilder();
        private volatile String last;

        LastLine(PrintWriter target) {
            this.target = target;
        }

        String last() { return last; }

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            target.write(buf, off, len);
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (c == '\n' || c == '\r') {
                    String l = line.toString().strip();
                    if (!l.isEmpty()) {
                        last = l;
                    }
                    line.setLength(0);
                } else {
                    line.append(c);
                }
            }
        }

        @Override
        public void flush() { target.flush(); }

        @Override
        public void close() { flush(); }
    }
}
