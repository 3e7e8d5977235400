package org.revbench.harness.run;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.revbench.core.model.ModelRegistry;
import org.revbench.harness.Provenance;
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
 * Runs every (row, protocol) of some specs at one scale that is not already in the store for this commit and
 * these settings, saving each protocol's measurements the moment they exist. A run stopped at any point
 * resumes where it stopped: what is stored is skipped, what was in flight runs again.
 *
 * <p>A failing protocol does not stop the grid: its error is printed and listed in the summary.
 */
public final class GridRunner {

    /** One unit of work. */
    public record Task(ExperimentSpec spec, SpecRow row, RowSettings settings, String protocol) {
        String label() {
            return spec.id() + " " + row.id() + " " + protocol;
        }
    }

    /** What a grid run did. */
    public record Summary(int planned, int skipped, int ran, List<String> failures, List<String> notRun, double seconds) {}

    private final MeasurementStore store;
    private final Provenance provenance;
    private final PrintWriter out;
    private final Path workRoot;
    private final ModelRegistry registry;

    public GridRunner(MeasurementStore store, Provenance provenance, PrintWriter out, Path workRoot) {
        this.store = store;
        this.provenance = provenance;
        this.out = out;
        this.workRoot = workRoot;
        this.registry = ModelRegistry.load();
    }

    /** The tasks of {@code specs} at {@code scale} in order, and the rows that do not run at this scale. */
    public static List<Task> plan(List<ExperimentSpec> specs, Scale scale, Predicate<String> rows, List<String> notRun) {
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
                    tasks.add(new Task(spec, row, s, p));
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
        List<String> notRun = new ArrayList<>();
        List<Task> tasks = plan(specs, scale, rows, notRun);
        List<Task> todo = new ArrayList<>();
        for (Task t : tasks) {
            if (!store.has(t.spec().id(), t.row().id(), scale.id(), t.protocol(), provenance.gitCommit(),
                    t.settings().hash(t.row().model()))) {
                todo.add(t);
            }
        }
        int skipped = tasks.size() - todo.size();
        out.printf(Locale.ROOT, "%d measurements planned at %s scale: %d already stored for commit %s, %d to run; %d rows"
                        + " do not run at this scale%n", tasks.size(), scale.id(), skipped, shortCommit(), todo.size(),
                notRun.size());
        out.flush();
        long start = System.nanoTime();
        Map<String, double[]> secondsByProtocol = new LinkedHashMap<>(); // {sum, count}: the ETA's estimate
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (int i = 0; i < todo.size(); i++) {
            Task t = todo.get(i);
            out.printf(Locale.ROOT, "[%d/%d] %s (%s)%s%n", i + 1, todo.size(), t.label(), t.row().model(), eta(todo, i,
                    secondsByProtocol));
            out.flush();
            long t0 = System.nanoTime();
            try {
                Protocol p = Protocols.get(t.protocol());
                Path work = workRoot.resolve(scale.id()).resolve(t.spec().paper()).resolve(t.spec().table())
                        .resolve(t.row().id()).resolve(t.protocol());
                Files.createDirectories(work);
                ProtocolContext ctx = new ProtocolContext(t.spec(), t.row(), scale, t.settings(),
                        registry.get(t.row().model()), provenance, out, work);
                List<Measurement> ms = p.measure(ctx);
                for (Measurement m : ms) {
                    store.save(m);
                }
                ran++;
            } catch (Exception e) {
                String msg = t.label() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
                failures.add(msg);
                out.println("    FAILED: " + msg);
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            double[] acc = secondsByProtocol.computeIfAbsent(t.protocol(), k -> new double[2]);
            acc[0] += sec;
            acc[1]++;
            out.printf(Locale.ROOT, "    %.1f s%n", sec);
            out.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "done in %s: %d measured, %d skipped (stored), %d failed%n", duration(seconds), ran,
                skipped, failures.size());
        for (String f : failures) {
            out.println("  failed: " + f);
        }
        out.flush();
        return new Summary(tasks.size(), skipped, ran, failures, notRun, seconds);
    }

    /** Time left: the mean time of each protocol so far (or of all so far) times what remains of it. */
    private static String eta(List<Task> todo, int next, Map<String, double[]> secondsByProtocol) {
        if (secondsByProtocol.isEmpty()) {
            return "";
        }
        double all = secondsByProtocol.values().stream().mapToDouble(a -> a[0]).sum()
                / secondsByProtocol.values().stream().mapToDouble(a -> a[1]).sum();
        double left = 0;
        for (int i = next; i < todo.size(); i++) {
            double[] a = secondsByProtocol.get(todo.get(i).protocol());
            left += a == null ? all : a[0] / a[1];
        }
        return "  [about " + duration(left) + " left]";
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + " s";
    }

    private String shortCommit() {
        String c = provenance.gitCommit();
        return c.length() > 10 ? c.substring(0, 10) : c;
    }

}
