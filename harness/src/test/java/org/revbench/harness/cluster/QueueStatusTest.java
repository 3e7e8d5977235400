package org.revbench.harness.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.revbench.harness.result.WorkItem;

/** What `revbench status` shows: counts per table, who runs what since when at what progress, errors, time left. */
class QueueStatusTest {

    static final long NOW = 1_800_000_000_000L;

    static WorkItem item(long id, String table, String state, Double estimate, String worker, Long started, Long lease,
                         String progress, String error) {
        return new WorkItem(id, "i" + id, table, "r" + id, "ms-resnet18", "paper", "train", 1L, "h", "c".repeat(40),
                "clean", state, 1, 3, estimate, NOW - 100_000, worker, worker == null ? null : "node-" + worker, 42L,
                started, started, lease, progress, null, null, error, List.of(), WorkItem.CPU);
    }

    @Test
    void statusShowsEachTableWithItsRunningAndFailedItemsAndTheTimeLeft() {
        List<WorkItem> items = List.of(
                item(1, "pararevsnn:table2", WorkItem.DONE, 100.0, "a", NOW - 500_000, null, null, null),
                item(2, "pararevsnn:table2", WorkItem.RUNNING, 3600.0, "a", NOW - 600_000, NOW + 60_000,
                        "seed 1 epoch 3/300 step 10/390", null),
                item(3, "pararevsnn:table2", WorkItem.PLANNED, 3600.0, null, null, null, null, null),
                item(4, "trevsnn:table2", WorkItem.FAILED, 60.0, "b", NOW - 60_000, null, null, "out of memory"),
                item(5, "trevsnn:table2", WorkItem.RUNNING, 1200.0, "b", NOW - 60_000, NOW + 60_000, null, null),
                item(6, "trevsnn:table2", WorkItem.RUNNING, 1200.0, "c", NOW - 900_000, NOW - 5_000, "step 3", null));
        QueueStatus s = QueueStatus.of(items, NOW);
        assertEquals(2, s.workers(), "a and b renew their leases; c's lapsed");
        // left: (3600 - 600) + 3600 + (1200 - 60) + 1200 (c's item starts over) = 8940 s over 2 workers
        assertEquals(4470, s.secondsLeft(), 1e-9);
        String text = s.render();
        assertTrue(text.contains("pararevsnn:table2                   1        1        1        0  about 55m00s"), text);
        assertTrue(text.contains("running 2 pararevsnn:table2 r2 train seed 1 @paper: a on node-a (process 42), since"
                + " 2027-01-15T07:50:00Z (10m00s ago), attempt 1 of 3: seed 1 epoch 3/300 step 10/390"), text);
        assertTrue(text.contains("failed 4 trevsnn:table2 r4 train seed 1 @paper after 1 attempt: out of memory"), text);
        assertTrue(text.contains("running 6 trevsnn:table2 r6 train seed 1 @paper: lease expired 5 s ago (c on node-c is"
                + " gone); the next worker takes it over"), text);
        assertTrue(text.endsWith("2 workers measuring; time left: about 1h14m"), text);
    }

    @Test
    void anEmptyQueueSaysHowToPlan() {
        assertTrue(QueueStatus.of(List.of(), NOW).render().contains("revbench plan"));
    }
}
