package org.revbench.harness.run;

import org.revbench.core.engine.Devices;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.revbench.core.model.ModelRegistry;
import org.revbench.harness.Provenance;
import org.revbench.harness.bench.NodeLock;
import org.revbench.harness.protocol.Protocol;
import org.revbench.harness.protocol.ProtocolContext;
import org.revbench.harness.protocol.Protocols;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.MeasurementStore;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.RowSettings;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecRow;

/**
 * Runs every (row, protocol) of some specs at one scale that is not already in the store for this code version
 * (commit and uncommitted changes) and these settings, saving each protocol's measurements the moment they exist.
 * A run stopped at any point resumes where it stopped: what is stored is skipped, what was in flight runs again.
 *
 * <p>Concurrent runs on one store split the work: each task is claimed in the store before it is measured, and a
 * task another live run holds is left to it. A claim whose run died (its process is gone from this host, or its
 * heartbeat stopped {@link #STALE_MILLIS} ago) is taken over. The store's unique identity of a measurement is the
 * last guard: a task's numbers are stored all or none, and never twice.
 *
 * <p>A failing protocol does not stop the grid: its error is printed and listed in the summary.
 *
 * <p>Every measurement of a task is stored with how long the task's protocol run took
 * ({@link Measurement#taskSeconds()}). From those of earlier runs the grid estimates, before it starts, how long its
 * tasks will take, and each task's progress line shows the time left of the whole run, corrected by what this run's
 * tasks took so far ({@link GridEstimate}).
 */
public final class GridRunner {

    /**
     * One unit of work: a row's protocol at one scale, of the row's seeds {@code seeds} (all of them, unless the
     * protocol measures {@linkplain Protocol#eachSeedApart() each seed apart} and some are stored already, or a
     * cluster's work item is one seed).
     */
    public record Task(ExperimentSpec spec, SpecRow row, RowSettings settings, String protocol, List<Long> seeds) {
        public Task {
            seeds = List.copyOf(seeds);
        }

        /** Every seed of the row. */
        public Task(ExperimentSpec spec, SpecRow row, RowSettings settings, String protocol) {
            this(spec, row, settings, protocol, settings.seeds());
        }

        /** The same task, of {@code only} of its seeds. */
        public Task withSeeds(List<Long> only) {
            return new Task(spec, row, settings, protocol, only);
        }

        public String label() {
            String all = spec.id() + " " + row.id() + " " + protocol;
            return seeds.equals(settings.seeds()) || seeds.isEmpty() ? all
                    : all + " seed" + (seeds.size() == 1 ? " " : "s ") + seeds.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    /**
     * What a grid run did.
     *
     * @param skipped   tasks already stored for this code version and settings (before or while this run ran)
     * @param leftToOthers tasks that another live run had claimed: that run measures them
     */
    public record Summary(int planned, int skipped, int ran, int leftToOthers, List<String> failures,
                          List<String> notRun, double seconds) {}

    /** How long a claim lives without its run's heartbeat before another run takes it over (other hosts). */
    public static final long STALE_MILLIS = 10 * 60_000L;
    /** How often a run refreshes its claims. */
    static final long HEARTBEAT_MILLIS = 60_000L;
    /** How often a task looks for other measurements on its machine, for its provenance. */
    static final long OTHERS_MILLIS = 15_000L;

    private final MeasurementStore store;
    private final Provenance provenance;
    private final PrintWriter out;
    private final Path workRoot;
    private final ModelRegistry registry;
    private final Function<String, Protocol> protocols;

    public GridRunner(MeasurementStore store, Provenance provenance, PrintWriter out, Path workRoot) {
        this(store, provenance, out, workRoot, Protocols::get);
    }

    /** With the protocols {@code protocols} names (tests put stand-ins there). */
    public GridRunner(MeasurementStore store, Provenance provenance, PrintWriter out, Path workRoot,
                      Function<String, Protocol> protocols) {
        this.store = store;
        this.provenance = provenance;
        this.out = out;
        this.workRoot = workRoot;
        this.registry = ModelRegistry.load();
        this.protocols = protocols;
    }

    /** The tasks of {@code specs} at {@code scale} in order, and the rows that do not run at this scale. */
    public static List<Task> plan(List<ExperimentSpec> specs, Scale scale, Predicate<String> rows, List<String> notRun) {
        return plan(specs, scale, rows, p -> true, notRun);
    }

    /** The same, only the protocols whose name {@code protocols} accepts. */
    public static List<Task> plan(List<ExperimentSpec> specs, Scale scale, Predicate<String> rows,
                                  Predicate<String> protocols, List<String> notRun) {
        List<Task> tasks = new ArrayList<>();
        for (ExperimentSpec spec : specs) {
            for (SpecRow row : spec.rows()) {
                if (!rows.test(row.id())) {
                    continue;
                }
                RowSettings s = row.at(scale);
                if (s.notRun() != null) {
                    notRun.add(spec.id() + " " + row.id() + ": " + s.notRun());
                    continue;
                }
                for (String p : s.protocols()) {
                    if (protocols.test(p)) {
                        tasks.add(new Task(spec, row, s, p));
                    }
                }
            }
        }
        return tasks;
    }

    public Summary run(List<ExperimentSpec> specs, Scale scale) {
        return run(specs, scale, id -> true);
    }

    /** Only the rows whose id {@code rows} accepts. */
    public Summary run(List<ExperimentSpec> specs, Scale scale, Predicate<String> rows) {
        return run(specs, scale, rows, p -> true);
    }

    /** Only the rows whose id {@code rows} accepts, by the protocols whose name {@code protocols} accepts. */
    public Summary run(List<ExperimentSpec> specs, Scale scale, Predicate<String> rows, Predicate<String> protocolNames) {
        List<String> notRun = new ArrayList<>();
        List<Task> tasks = plan(specs, scale, rows, protocolNames, notRun);
        List<Task> todo = new ArrayList<>();
        for (Task t : tasks) {
            List<Long> missing = missingSeeds(t, scale);
            if (!missing.isEmpty()) {
                todo.add(t.withSeeds(missing));
            }
        }
        int skipped = tasks.size() - todo.size();
        out.printf(Locale.ROOT, "%d measurements planned at %s scale: %d already stored for %s, %d to run; %d rows"
                        + " do not run at this scale%n", tasks.size(), scale.id(), skipped, codeVersion(), todo.size(),
                notRun.size());
        GridEstimate estimate = GridEstimate.fromStore(store, todo, scale);
        if (!todo.isEmpty()) {
            out.println(planned(estimate));
        }
        out.flush();
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        int ran = 0;
        int leftToOthers = 0;
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "revbench-claims-heartbeat");
            th.setDaemon(true);
            return th;
        });
        heartbeat.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        try {
            for (int i = 0; i < todo.size(); i++) {
                Task t = todo.get(i);
                String claim = taskIdentity(t, scale);
                Optional<MeasurementStore.Claim> holder = store.claim(claim, t.label() + " @" + scale.id(), provenance,
                        STALE_MILLIS);
                if (holder.isPresent()) {
                    MeasurementStore.Claim c = holder.get();
                    out.printf(Locale.ROOT, "[%d/%d] %s: being measured by another run (on %s, process %d), left to it%n",
                            i + 1, todo.size(), t.label(), c.host(), c.pid());
                    out.flush();
                    leftToOthers++;
                    continue;
                }
                long t0 = System.nanoTime();
                try {
                    List<Long> missing = missingSeeds(t, scale);
                    if (missing.isEmpty()) { // another run stored it between this run's plan and its claim
                        out.printf(Locale.ROOT, "[%d/%d] %s: stored meanwhile by another run%n", i + 1, todo.size(),
                                t.label());
                        skipped++;
                        continue;
                    }
                    t = t.withSeeds(missing);
                    out.printf(Locale.ROOT, "[%d/%d] %s (%s)%s%n", i + 1, todo.size(), t.label(), t.row().model(),
                            eta(estimate, i));
                    out.flush();
                    List<Measurement> ms = measure(t, scale, out);
                    estimate.measured(i, ms.isEmpty() || ms.get(0).taskSeconds() == null ? 0 : ms.get(0).taskSeconds());
                    if (store.saveAll(ms)) {
                        ran++;
                    } else {
                        out.println("    stored meanwhile by another run: this run's numbers are not stored again");
                        skipped++;
                    }
                } catch (Exception e) {
                    String msg = t.label() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
                    failures.add(msg);
                    out.println("    FAILED: " + msg);
                } finally {
                    store.release(claim, provenance.runId());
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "    %.1f s%n", sec);
                out.flush();
            }
        } finally {
            heartbeat.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "done in %s: %d measured, %d skipped (stored), %d left to other runs, %d failed%n",
                duration(seconds), ran, skipped, leftToOthers, failures.size());
        for (String f : failures) {
            out.println("  failed: " + f);
        }
        out.flush();
        return new Summary(tasks.size(), skipped, ran, leftToOthers, failures, notRun, seconds);
    }

    /**
     * Which of {@code t}'s seeds are still to be measured at this code version and these settings: for a protocol
     * that measures each seed apart, those whose numbers are not stored; for any other, all of them unless the task is
     * stored (then none).
     */
    public List<Long> missingSeeds(Task t, Scale scale) {
        return missingSeeds(store, protocols.apply(t.protocol()), t, scale, provenance);
    }

    /**
     * The provenance of task {@code t}'s numbers in a run whose provenance is {@code run}: on the device the run named
     * ({@code --device}, {@code REVBENCH_DEVICE}), else on the one the task's spec names at its scale (the papers' scale
     * names {@code cuda}), else on the CPU.
     */
    public static Provenance onDevice(Provenance run, Task t) {
        if (run.device() != null) {
            return run;
        }
        String named = t.settings().device();
        return run.withDevice(named != null ? Devices.parse(named) : ai.djl.Device.cpu());
    }

    /**
     * As {@link #missingSeeds(Task, Scale)}, asking {@code store} about the numbers of the code {@code run} names, on
     * the task's device ({@link #onDevice}).
     */
    public static List<Long> missingSeeds(MeasurementStore store, Protocol protocol, Task t, Scale scale, Provenance run) {
        Provenance code = onDevice(run, t);
        String hash = t.settings().hash(t.row().model());
        if (!protocol.eachSeedApart()) {
            return store.has(t.spec().id(), t.row().id(), scale.id(), t.protocol(), code, hash) ? List.of() : t.seeds();
        }
        return t.seeds().stream().filter(seed -> !store.has(t.spec().id(), t.row().id(), scale.id(), t.protocol(), seed,
                code, hash)).toList();
    }

    /**
     * Measures task {@code t} (its seeds {@link Task#seeds()}) at {@code scale}, logging to {@code log}: its protocol's
     * numbers, each stamped with how long the protocol ran. Checkpoints and logs go to the task's own folder under
     * the work directory ({@code scale/paper/table/row/protocol}), the same for every run and worker that shares the
     * directory, so a task another process was killed in resumes from its checkpoint. The one way a grid, or a
     * cluster's worker, measures a task.
     */
    public List<Measurement> measure(Task t, Scale scale, PrintWriter log) throws Exception {
        Protocol p = protocols.apply(t.protocol());
        Path work = workRoot.resolve(scale.id()).resolve(t.spec().owner()).resolve(t.spec().table())
                .resolve(t.row().id()).resolve(t.protocol());
        Files.createDirectories(work);
        Provenance onDevice = onDevice(provenance, t);
        ProtocolContext ctx = new ProtocolContext(t.spec(), t.row(), scale, t.settings(), registry.get(t.row().model()),
                onDevice, log, work, t.seeds());
        String run = provenance.runId() == null ? "" : provenance.runId();
        String what = t.label() + " @" + scale.id() + " (run " + run.substring(0, Math.min(8, run.length())) + ")";
        // a timing alone on the machine, anything else beside other measurements but never beside a timing
        try (NodeLock lock = p.timed() ? NodeLock.exclusive(log, what) : NodeLock.shared(log, what)) {
            Set<String> others = new java.util.LinkedHashSet<>(NodeLock.others(lock));
            double loadAtStart = NodeLock.loadAverage();
            ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread th = new Thread(r, "revbench-node-watch");
                th.setDaemon(true);
                return th;
            });
            watch.scheduleWithFixedDelay(() -> {
                synchronized (others) {
                    others.addAll(NodeLock.others(lock));
                }
            }, OTHERS_MILLIS, OTHERS_MILLIS, TimeUnit.MILLISECONDS);
            long measuring = System.nanoTime();
            List<Measurement> measured;
            try {
                measured = p.measure(ctx);
            } finally {
                watch.shutdownNow();
            }
            double taskSeconds = (System.nanoTime() - measuring) / 1e9;
            String alongside;
            synchronized (others) {
                others.addAll(NodeLock.others(lock));
                alongside = NodeLock.alongside(List.copyOf(others), loadAtStart, NodeLock.loadAverage());
            }
            Double stamped = Math.round(taskSeconds * 1000) / 1000.0; // to the millisecond
            return measured.stream().map(m -> new Measurement(m.table(), m.row(), m.model(), m.scale(), m.protocol(),
                    m.metric(), m.value(), m.unit(), m.seed(), m.specHash(), m.details(),
                    m.provenance().withAlongside(alongside), stamped)).toList();
        }
    }

    /**
     * What a claim is of: the task at this code version; where the code version cannot be told, at this run (its
     * numbers are its own, and another such run measures its own).
     */
    private String taskIdentity(Task t, Scale scale) {
        return Measurement.taskIdentity(t.spec().id(), t.row().id(), scale.id(), t.protocol(),
                t.settings().hash(t.row().model()), onDevice(provenance, t));
    }

    private void heartbeat() {
        try {
            store.heartbeat(provenance.runId());
        } catch (RuntimeException e) {
            // a missed beat only lets a claim age; the next one refreshes it
        }
    }

    /**
     * The line that opens a run: how many tasks will run, about how long they will take, and where the estimates
     * come from ({@link GridEstimate}).
     */
    static String planned(GridEstimate estimate) {
        int n = estimate.size();
        String tasks = "planned " + n + (n == 1 ? " task" : " tasks");
        OptionalDouble total = estimate.total();
        if (total.isEmpty()) {
            return tasks + ": no durations of earlier runs stored to estimate from";
        }
        int meanOfAll = estimate.count(GridEstimate.Source.MEAN_OF_ALL);
        return String.format(Locale.ROOT, "%s: about %s (%d estimated from earlier runs' durations, %d from the"
                        + " protocol's mean%s)", tasks, duration(total.getAsDouble()),
                estimate.count(GridEstimate.Source.EARLIER_RUN), estimate.count(GridEstimate.Source.PROTOCOL_MEAN),
                meanOfAll == 0 ? "" : ", " + meanOfAll + " from the mean of all protocols");
    }

    /** The whole remaining grid's time left, from task {@code next} on, as the progress line shows it. */
    static String eta(GridEstimate estimate, int next) {
        OptionalDouble left = estimate.left(next);
        return left.isEmpty() ? "" : "  [about " + duration(left.getAsDouble()) + " left]";
    }

    /** {@code seconds} as progress lines write a duration: {@code 42 s}, {@code 3m05s}, {@code 2h07m}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + " s";
    }

    /** The code version as the plan line names it. */
    private String codeVersion() {
        String v = provenance.codeVersion();
        if (v == null) {
            return "this run (its code version cannot be told: commit " + provenance.gitCommit() + ", tree "
                    + provenance.treeState() + "; nothing measured before is reused)";
        }
        String c = provenance.gitCommit().substring(0, 10);
        return Provenance.CLEAN.equals(provenance.treeState()) ? "commit " + c
                : "commit " + c + " with uncommitted changes " + provenance.treeState();
    }

}
