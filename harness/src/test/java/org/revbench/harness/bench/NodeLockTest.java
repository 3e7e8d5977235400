package org.revbench.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The machine's measurement lock: a timing waits for every other measurement and runs alone, in this process and
 * across processes; measurements that are not timings run side by side and see each other.
 */
class NodeLockTest {

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }

    /** Waits (at most 30 s) until {@code log} says {@code text}. */
    private static void awaitLog(StringWriter log, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!log.toString().contains(text) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(log.toString().contains(text), log.toString());
    }

    @Test
    void aTimingWaitsForTheMeasurementsBesideItAndTheySeeEachOther() throws Exception {
        StringWriter timingLog = new StringWriter();
        CountDownLatch timing = new CountDownLatch(1);
        Thread t;
        try (NodeLock a = NodeLock.shared(quiet(), "train a"); NodeLock b = NodeLock.shared(quiet(), "train b")) {
            assertTrue(NodeLock.others(a).stream().anyMatch(o -> o.endsWith(": train b")), NodeLock.others(a).toString());
            assertTrue(NodeLock.others(a).stream().noneMatch(o -> o.endsWith(": train a")), "not itself");
            t = new Thread(() -> {
                try (NodeLock l = NodeLock.exclusive(new PrintWriter(timingLog, true), "latency")) {
                    timing.countDown();
                }
            });
            t.start();
            awaitLog(timingLog, "waiting for the other measurements of this process");
            assertEquals(1, timing.getCount(), "no timing while measurements run");
        }
        assertTrue(timing.await(30, TimeUnit.SECONDS), "the timing runs once they end");
        t.join(30_000);
        assertEquals(List.of(), NodeLock.others(null), "every holder gone");
    }

    @Test
    void nothingStartsBesideATimingAndATimingMayNestButNotUpgrade() throws Exception {
        StringWriter sharedLog = new StringWriter();
        CountDownLatch measured = new CountDownLatch(1);
        Thread t;
        try (NodeLock timing = NodeLock.exclusive(quiet(), "latency")) {
            try (NodeLock inner = NodeLock.exclusive(quiet(), "jmh"); NodeLock read = NodeLock.shared(quiet(), "x")) {
                assertTrue(inner.exclusive());
            }
            t = new Thread(() -> {
                try (NodeLock l = NodeLock.shared(new PrintWriter(sharedLog, true), "train")) {
                    measured.countDown();
                }
            });
            t.start();
            awaitLog(sharedLog, "waiting for a timing of this process to end");
            assertEquals(1, measured.getCount());
        }
        assertTrue(measured.await(30, TimeUnit.SECONDS));
        t.join(30_000);
        try (NodeLock shared = NodeLock.shared(quiet(), "train")) {
            assertThrows(IllegalStateException.class, () -> NodeLock.exclusive(quiet(), "latency"));
        }
    }

    /** Holds the lock shared in another process until its standard input closes. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (NodeLock l = NodeLock.shared(new PrintWriter(System.err, true), "train in another process")) {
                System.out.println("held");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // until the test closes the pipe
                }
            }
        }
    }

    @Test
    void aTimingWaitsForAnotherProcesssMeasurement() throws Exception {
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", r.readLine());
            assertTrue(NodeLock.others(null).stream().anyMatch(o -> o.equals("process " + other.pid()
                    + ": train in another process")), NodeLock.others(null).toString());
            StringWriter log = new StringWriter();
            CountDownLatch timed = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try (NodeLock l = NodeLock.exclusive(new PrintWriter(log, true), "latency")) {
                    timed.countDown();
                }
            });
            t.start();
            awaitLog(log, "waiting for the other RevBench measurements on this machine to end");
            assertEquals(1, timed.getCount(), "not while the other process measures");
            other.getOutputStream().close();
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            assertTrue(timed.await(30, TimeUnit.SECONDS), "the timing runs once the other process ends");
            t.join(30_000);
        } finally {
            other.destroyForcibly();
        }
    }
}
