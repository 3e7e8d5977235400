package org.revbench.harness.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.TestPostgres;
import org.revbench.harness.cli.RevBench;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultQuery;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.WorkItem;
import org.revbench.harness.result.WorkQueue;
import picocli.CommandLine;

/**
 * The grid on a real Slurm cluster (what {@code .ci/run} starts: one controller and one node on this machine, found
 * through {@value #CONF_ENV}): the smoke grid of ParaRevSNN's Table 2 ({@link #ROWS}) is planned into a PostgreSQL
 * store, two workers are submitted as one array job, one of them is killed with SIGKILL in the middle of a training
 * item, its lease runs out and the other worker takes the item over. The stored numbers must equal those of one
 * {@code revbench run} of the same grid, measurement for measurement (timings by presence, every other number by
 * value), with nothing stored twice. In CI (env {@code CI} set) a missing Slurm fails; elsewhere the test is skipped.
 *
 * <p>Every process runs libtorch on one thread, so that a seed trains to the same weights in each.
 */
class SlurmWorkersTest {

    static final String CONF_ENV = "REVBENCH_TEST_SLURM_CONF";
    static final String TABLE = "pararevsnn:table2";
    /**
     * The rows planned: one of the table's seven smoke rows (static, memory, latency and a training seed: four items,
     * every protocol of the table), since the whole smoke grid (19 items) made this test take 5 minutes of CI's budget.
     * With {@value #FULL_ENV} set, the whole table.
     */
    static final List<String> ROWS = List.of("cifar10-ms-resnet18");
    static final String FULL_ENV = "REVBENCH_TEST_SLURM_FULL_TABLE";
    /** Units of timings: machine load moves them, so they are compared by presence only. */
    static final Set<String> TIMING_UNITS = Set.of("s", "ms", "us/img");
    /** Short enough that the takeover comes soon after the kill, with a heartbeat every 2.5 s. */
    static final int LEASE_SECONDS = 10;

    @RegisterExtension
    static final TestPostgres server = new TestPostgres();

    @TempDir
    Path tmp;

    @BeforeAll
    static void findSlurm() {
        String conf = System.getenv(CONF_ENV);
        if (conf == null || conf.isBlank() || !Files.exists(Path.of(conf))) {
            if (System.getenv("CI") != null) {
                fail("no Slurm for the cluster test: env " + CONF_ENV + " names no slurm.conf (.ci/run starts a cluster"
                        + " with .ci/test-slurm.bash and sets it)");
            }
            Assumptions.abort("no Slurm: start one with `source .ci/test-slurm.bash; start_test_slurm` (sets " + CONF_ENV
                    + "); skipped outside CI");
        }
    }

    @Test
    void twoSlurmWorkersOneKilledMidItemStoreWhatOneProcessStores() throws Exception {
        StringBuilder timeline = new StringBuilder();
        String workersDb = withUser(server.newSchemaUrl());
        String singleDb = withUser(server.newSchemaUrl());

        // the single-process reference, started first: it runs beside the workers (numbers do not depend on load)
        List<String> reference = new ArrayList<>(org.revbench.harness.cluster.SlurmSubmission.launcher());
        reference.addAll(List.of("run", "--table", TABLE, "--scale", "smoke", "--threads", "1", "--db", singleDb,
                "--work-dir", tmp.resolve("single").toString()));
        reference.addAll(rows());
        Path referenceLog = tmp.resolve("single.log");
        Process single = new ProcessBuilder(reference).redirectErrorStream(true).redirectOutput(referenceLog.toFile())
                .start();
        try {
            note(timeline, "started the single-process run (process " + single.pid() + ")");
            List<String> plan = new ArrayList<>(List.of("plan", "--table", TABLE, "--scale", "smoke", "--db", workersDb));
            plan.addAll(rows());
            String planned = cli(plan.toArray(String[]::new));
            note(timeline, planned.lines().findFirst().orElse(""));
            String submitted = cli("submit", "--scheduler", "slurm", "--workers", "2", "--threads", "1", "--lease",
                    Integer.toString(LEASE_SECONDS), "--poll", "2", "--work-dir", tmp.resolve("work").toString(),
                    "--db", workersDb);
            note(timeline, submitted.strip());
            String job = submitted.replaceFirst("(?s).*submitted job (\\d+).*", "$1");

            try (ResultStore store = server.open(workersDb)) {
                WorkQueue q = store.queue();
                WorkItem victim = await(q, "a worker in the middle of a training item", Duration.MINUTES_10, items ->
                        items.stream().filter(i -> i.state().equals(WorkItem.RUNNING) && i.protocol().equals("train")
                                && i.progress() != null && i.progress().contains("step")).findFirst());
                ProcessHandle.of(victim.pid()).orElseThrow(() -> new AssertionError("worker process " + victim.pid()
                        + " of item " + victim.label() + " is not on this machine")).destroyForcibly();
                note(timeline, "SIGKILL to " + victim.worker() + " (process " + victim.pid() + ") during item "
                        + victim.id() + " " + victim.label() + " at \"" + victim.progress() + "\"");
                WorkItem lapsed = await(q, "the killed worker's item taken over", Duration.MINUTES_10, items ->
                        items.stream().filter(i -> i.id() == victim.id() && i.attempts() == 2).findFirst());
                note(timeline, "item " + lapsed.id() + " taken over by " + lapsed.worker() + ": "
                        + String.join("; ", lapsed.history()));
                await(q, "every item done", Duration.MINUTES_15, items -> items.stream()
                        .allMatch(i -> i.state().equals(WorkItem.DONE) || i.state().equals(WorkItem.FAILED))
                        ? Optional.of(items.get(0)) : Optional.empty());
                List<WorkItem> items = q.items(List.of());
                note(timeline, "queue empty: " + items.size() + " items, " + items.stream()
                        .filter(i -> i.state().equals(WorkItem.DONE)).count() + " done");
                for (WorkItem i : items) {
                    assertEquals(WorkItem.DONE, i.state(), i.label() + ": " + i.error());
                }
                assertTrue(lapsed.history().get(0).contains("lease expired"), lapsed.history().toString());
            }
            awaitJobGone(job);
            note(timeline, "job " + job + " left the queue");
            assertTrue(single.waitFor(15, TimeUnit.MINUTES), "the single-process run did not end");
            assertEquals(0, single.exitValue(), Files.readString(referenceLog));
            note(timeline, "the single-process run ended");
        } finally {
            single.destroyForcibly();
            printLogs(timeline);
        }

        try (ResultStore workers = server.open(workersDb); ResultStore one = server.open(singleDb)) {
            List<Measurement> ours = workers.find(ResultQuery.all());
            List<Measurement> theirs = one.find(ResultQuery.all());
            assertEquals(ours.size(), ours.stream().map(Measurement::identity).distinct().count(), "stored twice");
            assertEquals(ours.size(), ours.stream().map(Measurement::key).distinct().count(), "one number per key");
            Map<Measurement.Key, Measurement> a = byKey(ours);
            Map<Measurement.Key, Measurement> b = byKey(theirs);
            assertEquals(b.keySet(), a.keySet(), "the workers measured what one process measures");
            int compared = 0;
            for (Map.Entry<Measurement.Key, Measurement> e : b.entrySet()) {
                Measurement w = a.get(e.getKey());
                assertEquals(e.getValue().specHash(), w.specHash(), e.getKey().toString());
                assertEquals(e.getValue().provenance().gitCommit(), w.provenance().gitCommit());
                if (!TIMING_UNITS.contains(w.unit())) {
                    assertEquals(e.getValue().value(), w.value(), 0.0, e.getKey() + ": the workers' number differs");
                    compared++;
                }
            }
            System.out.printf("compared %d measurements: %d by value, %d timings by presence%n", b.size(), compared,
                    b.size() - compared);
            assertTrue(compared > 0);
        }
    }

    /** The {@code --row} options of the planned rows: none (every row) with {@value #FULL_ENV} set. */
    private static List<String> rows() {
        return System.getenv(FULL_ENV) != null ? List.of()
                : ROWS.stream().flatMap(r -> Stream.of("--row", r)).toList();
    }

    /** The store URL with the test server's user in it: the workers get the URL through their environment. */
    private static String withUser(String url) {
        return url + "&user=" + server.user();
    }

    private static Map<Measurement.Key, Measurement> byKey(List<Measurement> ms) {
        return ms.stream().collect(Collectors.toMap(Measurement::key, m -> m, (x, y) -> x,
                () -> new TreeMap<>((x, y) -> x.toString().compareTo(y.toString()))));
    }

    /** Runs a revbench command in this JVM; fails the test on a non-zero exit, with its output. */
    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = RevBench.commandLine();
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cl.execute(args);
        String o = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, String.join(" ", args) + ": " + o + err.toString(StandardCharsets.UTF_8));
        return o;
    }

    private enum Duration {
        MINUTES_10(10), MINUTES_15(15);
        final long nanos;

        Duration(int minutes) {
            this.nanos = TimeUnit.MINUTES.toNanos(minutes);
        }
    }

    /** Polls the queue every second until {@code found} finds something, at most {@code limit}. */
    private static WorkItem await(WorkQueue q, String what, Duration limit,
                                  java.util.function.Function<List<WorkItem>, Optional<WorkItem>> found)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.nanos;
        while (true) {
            Optional<WorkItem> f = found.apply(q.items(List.of()));
            if (f.isPresent()) {
                return f.get();
            }
            if (System.nanoTime() > deadline) {
                fail("waited " + limit + " for " + what + "; the queue:\n" + QueueStatus.of(q.items(List.of()), q.now())
                        .render());
            }
            Thread.sleep(1000);
        }
    }

    /** Waits (at most two minutes) until Slurm no longer lists job {@code job}. */
    private static void awaitJobGone(String job) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            Process p = new ProcessBuilder("squeue", "-h", "-j", job, "-o", "%i %T").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            if (out.isEmpty() || out.contains("Invalid job id")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("job " + job + " still queued two minutes after the queue emptied: " + out);
            }
            Thread.sleep(1000);
        }
    }

    private static void note(StringBuilder timeline, String line) {
        String l = Instant.now().truncatedTo(ChronoUnit.SECONDS) + "  " + line;
        timeline.append(l).append('\n');
        System.out.println(l);
    }

    /** The timeline, then each worker's Slurm log: what the closing note of a cluster change quotes. */
    private void printLogs(StringBuilder timeline) throws IOException {
        System.out.println("---- timeline\n" + timeline);
        Path logs = tmp.resolve("work").resolve("slurm");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path f : files.sorted().toList()) {
                    if (f.toString().endsWith(".log")) {
                        System.out.println("---- " + f.getFileName());
                        Files.readAllLines(f).stream().filter(l -> !l.startsWith("    seed") || l.contains("top-1"))
                                .forEach(System.out::println);
                    }
                }
            }
        }
    }
}
