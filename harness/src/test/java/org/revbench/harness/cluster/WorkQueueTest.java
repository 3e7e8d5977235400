package org.revbench.harness.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.Provenance;
import org.revbench.harness.TestPostgres;
import org.revbench.harness.protocol.Protocol;
import org.revbench.harness.protocol.ProtocolContext;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultQuery;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.ResultStoreException;
import org.revbench.harness.result.WorkItem;
import org.revbench.harness.result.WorkQueue;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecLoader;

/**
 * The work queue in a real PostgreSQL store: planning adds each item once, a claim is one worker's, an expired lease
 * returns the item with its lapse recorded, a failing item is retried at most N times, and an attempt stores its
 * numbers and closes its item in one transaction, only while it holds the item.
 */
class WorkQueueTest {

    /** Two rows of a static protocol, two of training with two seeds each: 2 + 2 x 2 = 6 items. */
    static final String SPEC = """
            paper: test
            table: queue
            title: "queue"
            defaults:
              dataset: synthetic
              classes: 10
              timesteps: 2
              optimizer: {name: sgd, lr: 0.05, momentum: 0.9, weight_decay: 1.0e-4}
              schedule: {name: constant}
              epochs: 1
              batch: 4
              seeds: [7, 8]
              columns: [params]
              latency: {batch: 1, forks: 1, iterations: 1, seconds: 1}
            rows:
              - {id: r1, model: ms-resnet18}
              - {id: r2, model: ms-resnet18}
              - {id: r3, model: ms-resnet18, columns: [accuracy]}
              - {id: r4, model: ms-resnet18, columns: [accuracy]}
            """;

    static final String COMMIT = "c".repeat(40);

    @RegisterExtension
    static final TestPostgres server = new TestPostgres();

    @TempDir
    Path tmp;

    static ExperimentSpec spec() {
        return SpecLoader.read(SPEC, "queue.yaml", m -> true);
    }

    static Provenance code(String runId) {
        return new Provenance(COMMIT, false, Provenance.CLEAN, "17", "vm", "0.35.1", "2.7.1", "Linux", "cpu",
                "x86_64 GenuineIntel avx512", "glibc 2.36", 2, 1, null, runId, "2026-12-03T10:00:00Z");
    }

    /**
     * Stand-ins for "static" (one number a row) and "train" (one number a seed, each seed apart), counting their calls
     * by item.
     */
    static Function<String, Protocol> counting(Map<String, AtomicInteger> calls, long sleepMillis) {
        return name -> new Protocol() {
            @Override
            public String name() { return name; }

            @Override
            public boolean eachSeedApart() { return name.equals("train"); }

            @Override
            public List<Measurement> measure(ProtocolContext c) throws Exception {
                Thread.sleep(sleepMillis);
                if (name.equals("train")) {
                    return c.seeds().stream().map(seed -> {
                        calls.computeIfAbsent(c.row().id() + " train " + seed, k -> new AtomicInteger()).incrementAndGet();
                        return c.measurement("train", "top1", 40 + seed, "%", seed, Map.of());
                    }).toList();
                }
                calls.computeIfAbsent(c.row().id() + " " + name, k -> new AtomicInteger()).incrementAndGet();
                return List.of(c.measurement(name, "params", 11_173_962, "count", null, Map.of()));
            }
        };
    }

    static WorkPlanner.Result plan(ResultStore store, Provenance code, int maxAttempts) {
        return WorkPlanner.plan(store, List.of(spec()), Scale.CPU, r -> true, p -> true,
                counting(new java.util.concurrent.ConcurrentHashMap<>(), 0), code, maxAttempts);
    }

    static WorkQueue.WorkerId worker(String name) {
        return new WorkQueue.WorkerId(name, "node-" + name, 1000 + name.hashCode() % 100);
    }

    @Test
    void planningTwiceAddsNothingAndATrainedSeedIsAnItemOfItsOwn() {
        try (ResultStore store = server.open(server.newSchemaUrl())) {
            WorkPlanner.Result first = plan(store, code("plan-1"), 3);
            assertEquals(6, first.items(), "two static rows, two training rows of two seeds");
            assertEquals(6, first.added());
            WorkPlanner.Result again = plan(store, code("plan-2"), 3);
            assertEquals(6, again.items());
            assertEquals(0, again.added(), "planning twice adds nothing");
            List<WorkItem> items = store.queue().items(List.of());
            assertEquals(6, items.size());
            assertEquals(List.of(7L, 8L, 7L, 8L), items.stream().filter(i -> i.protocol().equals("train"))
                    .map(WorkItem::seed).toList());
            assertTrue(items.stream().allMatch(i -> i.state().equals(WorkItem.PLANNED) && i.attempts() == 0
                    && i.gitCommit().equals(COMMIT)));
        }
    }

    @Test
    void whatTheStoreHoldsIsNotPlannedAndAnotherCommitPlansItsOwnItems() {
        try (ResultStore store = server.open(server.newSchemaUrl())) {
            Provenance code = code("run");
            String hash = spec().rows().get(2).at(Scale.CPU).hash("ms-resnet18");
            store.save(new Measurement("test:queue", "r3", "ms-resnet18", "cpu", "train", "top1", 47, "%", 7L, hash,
                    Map.of(), code));
            store.save(new Measurement("test:queue", "r1", "ms-resnet18", "cpu", "static", "params", 1, "count", null,
                    spec().rows().get(0).at(Scale.CPU).hash("ms-resnet18"), Map.of(), code));
            WorkPlanner.Result r = plan(store, code, 3);
            assertEquals(4, r.items(), "r1 and r3's seed 7 are stored: " + r.plans());
            assertEquals(1, r.stored());
            Provenance other = new Provenance("d".repeat(40), false, Provenance.CLEAN, "17", "vm", "0.35.1", "2.7.1",
                    "Linux", "cpu", "x86_64 GenuineIntel avx512", "glibc 2.36", 2, 1, null, "other", "2026-12-03T10:00:00Z");
            assertEquals(6, plan(store, other, 3).added(), "another commit measures everything again");
        }
    }

    /**
     * A plan for a GPU (the command's --device, or the spec's scale) makes items of that device: a CPU worker leaves
     * them, a worker on the device claims them, and the CPU's items of the same code are others' to it; what a GPU
     * stored does not count as stored for the CPU's plan.
     */
    @Test
    void aWorkerClaimsOnlyTheItemsOfItsDevice() {
        try (ResultStore store = server.open(server.newSchemaUrl())) {
            Provenance gpu = code("plan-gpu").withDevice(ai.djl.Device.gpu(0));
            assertEquals(6, plan(store, gpu, 3).added());
            assertTrue(store.queue().items(List.of()).stream().allMatch(i -> i.device().equals("cuda:0")
                    && i.label().endsWith("@cpu on cuda:0")));
            assertTrue(store.queue().claim(worker("cpu"), COMMIT, Provenance.CLEAN, 60_000).isEmpty(),
                    "a CPU worker leaves the GPU's items");
            WorkQueue.Counts cpuCounts = store.queue().counts(COMMIT, Provenance.CLEAN);
            assertEquals(0, cpuCounts.planned());
            assertEquals(6, cpuCounts.otherCodePlanned());
            assertEquals(COMMIT + " on cuda:0", cpuCounts.otherCode());
            Optional<WorkQueue.Lease> l = store.queue().claim(worker("gpu"), COMMIT, Provenance.CLEAN, "cuda:0", 60_000,
                    java.util.Set.of());
            assertTrue(l.isPresent());
            assertEquals("cuda:0", l.get().item().device());
            assertEquals(5, store.queue().counts(COMMIT, Provenance.CLEAN, "cuda:0").planned());

            // the same grid on the CPU is other items: none of the GPU's is reused or planned twice
            assertEquals(6, plan(store, code("plan-cpu"), 3).added());
            assertEquals(12, store.queue().items(List.of()).size());
            assertNotEquals(gpu.reuseScope(), code("x").reuseScope());
            assertEquals(code("x").reuseScope(), code("x").withDevice(ai.djl.Device.cpu()).reuseScope(),
                    "the CPU's numbers keep the scope they had before devices were recorded");
        }
    }

    @Test
    void twoWorkersNeverClaimOneItem() {
        String url = server.newSchemaUrl();
        try (ResultStore a = server.open(url); ResultStore b = server.open(url)) {
            plan(a, code("p"), 3);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (int i = 0; i < 3; i++) {
                Optional<WorkQueue.Lease> la = a.queue().claim(worker("a"), COMMIT, Provenance.CLEAN, 60_000);
                Optional<WorkQueue.Lease> lb = b.queue().claim(worker("b"), COMMIT, Provenance.CLEAN, 60_000);
                assertTrue(la.isPresent() && lb.isPresent());
                assertTrue(seen.add(la.get().item().id()), "claimed twice: " + la.get().item().label());
                assertTrue(seen.add(lb.get().item().id()), "claimed twice: " + lb.get().item().label());
                assertNull(la.get().takenOver());
            }
            assertTrue(a.queue().claim(worker("a"), COMMIT, Provenance.CLEAN, 60_000).isEmpty(), "six items, six claims");
            WorkItem running = a.queue().item(seen.iterator().next());
            assertEquals(WorkItem.RUNNING, running.state());
            assertEquals(1, running.attempts());
            assertTrue(running.host().startsWith("node-"));
            assertTrue(a.queue().claim(worker("c"), "e".repeat(40), Provenance.CLEAN, 60_000).isEmpty(),
                    "a worker of other code gets nothing");
        }
    }

    @Test
    void aWorkerOnABusyMachineCanLeaveTimingsForLater() {
        try (ResultStore store = server.open(server.newSchemaUrl())) {
            plan(store, code("p"), 3);
            WorkQueue q = store.queue();
            java.util.Set<String> notTrain = java.util.Set.of("train");
            assertEquals("static", q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000, notTrain).orElseThrow().item()
                    .protocol());
            assertEquals("static", q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000, notTrain).orElseThrow().item()
                    .protocol());
            assertTrue(q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000, notTrain).isEmpty(), "only train is left");
            assertEquals("train", q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000).orElseThrow().item().protocol());
        }
    }

    @Test
    void anExpiredLeaseReturnsTheItemToTheNextWorkerAndTheFirstStoresNothing() throws Exception {
        String url = server.newSchemaUrl();
        try (ResultStore a = server.open(url); ResultStore b = server.open(url)) {
            plan(a, code("p"), 3);
            WorkQueue qa = a.queue();
            WorkItem item = qa.claim(worker("dead"), COMMIT, Provenance.CLEAN, 2_000).orElseThrow().item();
            assertTrue(qa.heartbeat(item.id(), worker("dead"), 2_000, "seed 7 epoch 1/1 step 3/32"));
            assertEquals("seed 7 epoch 1/1 step 3/32", qa.item(item.id()).progress());
            waitUntilExpired(qa, item.id());
            WorkQueue.Lease taken = b.queue().claim(worker("alive"), COMMIT, Provenance.CLEAN, 60_000).orElseThrow();
            assertEquals(item.id(), taken.item().id(), "the expired item comes first");
            assertNotNull(taken.takenOver());
            assertTrue(taken.takenOver().contains("dead on node-dead") && taken.takenOver().contains("lease expired"),
                    taken.takenOver());
            assertEquals(2, taken.item().attempts());
            assertEquals(1, taken.item().history().size());
            assertEquals("alive", taken.item().worker());

            assertTrue(!qa.heartbeat(item.id(), worker("dead"), 2_000, "late"), "the first worker's lease is gone");
            Measurement m = new Measurement("test:queue", item.row(), item.model(), "cpu", item.protocol(), "params", 1,
                    "count", item.seed(), item.specHash(), Map.of(), code("dead"));
            assertEquals(WorkQueue.Completion.LOST, qa.complete(item.id(), worker("dead"), List.of(m), 1.0));
            assertEquals(List.of(), a.find(ResultQuery.all()), "nothing of the lost attempt is stored");

            Measurement n = new Measurement("test:queue", item.row(), item.model(), "cpu", item.protocol(), "params", 2,
                    "count", item.seed(), item.specHash(), Map.of(), code("alive"));
            assertEquals(WorkQueue.Completion.STORED, b.queue().complete(item.id(), worker("alive"), List.of(n), 2.0));
            assertEquals(List.of(n), a.find(ResultQuery.all()));
            assertEquals(WorkItem.DONE, qa.item(item.id()).state());
        }
    }

    @Test
    void anItemWhoseLastLeaseExpiresStaysFailedWithWhy() throws Exception {
        try (ResultStore store = server.open(server.newSchemaUrl())) {
            plan(store, code("p"), 1);
            WorkQueue q = store.queue();
            WorkItem item = q.claim(worker("dead"), COMMIT, Provenance.CLEAN, 2_000).orElseThrow().item();
            waitUntilExpired(q, item.id());
            WorkItem next = q.claim(worker("alive"), COMMIT, Provenance.CLEAN, 60_000).orElseThrow().item();
            assertNotEquals(item.id(), next.id(), "the expired item had no attempt left");
            WorkItem failed = q.item(item.id());
            assertEquals(WorkItem.FAILED, failed.state());
            assertTrue(failed.error().contains("lease expired") && failed.error().contains("last of 1 attempts"),
                    failed.error());
        }
    }

    @Test
    void aFailingItemIsRetriedAtMostNTimesThenStaysFailedWithItsError() {
        try (ResultStore store = server.open(server.newSchemaUrl())) {
            plan(store, code("p"), 2);
            WorkQueue q = store.queue();
            WorkItem item = q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000).orElseThrow().item();
            assertEquals(WorkItem.PLANNED, q.fail(item.id(), worker("w"), "out of memory: use a smaller --batch"));
            assertEquals("out of memory: use a smaller --batch", q.item(item.id()).error());
            // the retried item comes back after the other planned items, by its id
            WorkItem again = null;
            for (int i = 0; i < 6 && again == null; i++) {
                WorkItem c = q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000).orElseThrow().item();
                if (c.id() == item.id()) {
                    again = c;
                } else {
                    q.complete(c.id(), worker("w"), List.of(), 0);
                }
            }
            assertNotNull(again);
            assertEquals(2, again.attempts());
            assertEquals(WorkItem.FAILED, q.fail(item.id(), worker("w"), "out of memory again"));
            WorkItem failed = q.item(item.id());
            assertEquals("out of memory again", failed.error());
            assertEquals(2, failed.history().size());
            for (Optional<WorkQueue.Lease> l = q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000); l.isPresent();
                 l = q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000)) {
                assertNotEquals(item.id(), l.get().item().id(), "a failed item is not retried");
                q.complete(l.get().item().id(), worker("w"), List.of(), 0);
            }
            assertEquals(WorkItem.FAILED, q.item(item.id()).state());
            assertNull(q.fail(item.id(), worker("other"), "x"), "only the holder can fail an item");
        }
    }

    @Test
    void aWorkerStoppedBySigtermGivesItsItemBackWithoutUsingAnAttempt() {
        try (ResultStore store = server.open(server.newSchemaUrl())) {
            plan(store, code("p"), 1);
            WorkQueue q = store.queue();
            WorkItem item = q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000).orElseThrow().item();
            assertTrue(q.giveBack(item.id(), worker("w"), "stopped"));
            WorkItem back = q.item(item.id());
            assertEquals(WorkItem.PLANNED, back.state());
            assertEquals(0, back.attempts());
            assertEquals(item.id(), q.claim(worker("v"), COMMIT, Provenance.CLEAN, 60_000).orElseThrow().item().id());
        }
    }

    @Test
    void numbersAnotherRunStoredFirstAreNotStoredTwiceAndTheItemIsDone() {
        try (ResultStore store = server.open(server.newSchemaUrl())) {
            plan(store, code("p"), 3);
            WorkQueue q = store.queue();
            WorkItem item = q.claim(worker("w"), COMMIT, Provenance.CLEAN, 60_000).orElseThrow().item();
            Measurement m = new Measurement("test:queue", item.row(), item.model(), "cpu", item.protocol(), "params", 1,
                    "count", item.seed(), item.specHash(), Map.of(), code("run"));
            assertTrue(store.save(m), "another run (`revbench run`) stores the same number first");
            assertEquals(WorkQueue.Completion.STORED_BEFORE, q.complete(item.id(), worker("w"), List.of(m), 1.0));
            assertEquals(1, store.find(ResultQuery.all()).size());
            assertEquals(WorkItem.DONE, q.item(item.id()).state());
        }
    }

    @Test
    void anH2StoreRefusesToHandOutWorkInOneLine() {
        try (ResultStore h2 = ResultStore.open("jdbc:h2:file:" + tmp.resolve("results"), null, null)) {
            ResultStoreException e = assertThrows(ResultStoreException.class, h2::queue);
            assertTrue(e.badInput());
            assertTrue(e.getMessage().contains("one machine only") && e.getMessage().contains("jdbc:postgresql://")
                    && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /** Waits (at most a minute) until item {@code id}'s lease has ended by the database's clock. */
    static void waitUntilExpired(WorkQueue q, long id) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (q.item(id).leaseUntil() >= q.now()) {
            assertTrue(System.nanoTime() < deadline, "the lease never ended");
            Thread.sleep(100);
        }
    }
}
