package org.revbench.harness.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.TestPostgres;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultQuery;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.WorkItem;
import org.revbench.harness.result.WorkQueue;

/**
 * Workers started by hand, without a scheduler: three workers, each with its own connection, share one store's queue
 * at once, and every item is measured exactly once and stored once. The protocols are stand-ins that count their
 * calls, so that only the queue and the workers are under test (the Slurm test measures the real grid).
 */
class ParallelWorkersTest {

    @RegisterExtension
    static final TestPostgres server = new TestPostgres();

    @TempDir
    Path tmp;

    @Test
    void threeWorkersOnOneStoreMeasureEveryItemExactlyOnce() throws Exception {
        String url = server.newSchemaUrl();
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        try (ResultStore planner = server.open(url)) {
            assertEquals(6, WorkQueueTest.plan(planner, WorkQueueTest.code("planner"), 3).added());
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Worker.Summary>> workers = new ArrayList<>();
        List<StringWriter> logs = new ArrayList<>();
        try {
            for (String name : List.of("w1", "w2", "w3")) {
                StringWriter log = new StringWriter();
                logs.add(log);
                workers.add(pool.submit(() -> {
                    try (ResultStore store = server.open(url)) {
                        return new Worker(store, t -> WorkQueueTest.spec(), WorkQueueTest.code(name),
                                new PrintWriter(log, true), tmp.resolve("work"), WorkQueueTest.counting(calls, 300),
                                new Worker.Options(60_000, 200, false, null), WorkQueueTest.worker(name)).run();
                    }
                }));
            }
            int done = 0;
            for (Future<Worker.Summary> f : workers) {
                Worker.Summary s = f.get(5, TimeUnit.MINUTES);
                assertEquals(0, s.failed(), s + "\n" + logs);
                assertEquals(0, s.lost(), s.toString());
                done += s.done();
            }
            assertEquals(6, done, "six items, each done by one worker: " + logs);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(6, calls.size(), "every item measured: " + calls);
        calls.forEach((item, n) -> assertEquals(1, n.get(), item + " measured " + n.get() + " times"));
        try (ResultStore store = server.open(url)) {
            List<Measurement> all = store.find(ResultQuery.all());
            assertEquals(6, all.size(), "two static numbers and four seeds' top-1, each stored once");
            assertEquals(6, all.stream().map(Measurement::identity).distinct().count());
            List<WorkItem> items = store.queue().items(List.of());
            assertTrue(items.stream().allMatch(i -> i.state().equals(WorkItem.DONE) && i.attempts() == 1), items.toString());
            WorkQueue.Counts c = store.queue().counts(WorkQueueTest.COMMIT, "clean");
            assertEquals(6, c.done());
            assertEquals(0, c.planned() + c.running() + c.failed());
        }
    }
}
