package org.revbench.harness.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.Options;
import org.revbench.core.engine.Engines;
import org.revbench.harness.Provenance;
import org.revbench.harness.bench.BenchmarkFork;
import org.revbench.harness.bench.TrainingStepBenchmark;

/** The thread count a latency measurement states is the one its JMH forks run. */
class LatencyProtocolTest {

    @Test
    void theForksRunTheThreadsTheProvenanceStates(@TempDir Path dir) {
        ProtocolContext c = TrainProtocolTest.context(dir, new StringWriter());
        Provenance p = c.provenance();
        for (int threads : new int[] {1, 3}) {
            Provenance withThreads = p.withThreads(threads);
            ProtocolContext ct = new ProtocolContext(c.spec(), c.row(), c.scale(), c.settings(), c.model(), withThreads,
                    c.log(), c.workDir());
            assertEquals(threads, LatencyProtocol.forkThreads(ct));
            Options o = LatencyProtocol.options(ct, TrainingStepBenchmark.class, Map.of(), threads).build();
            Collection<String> args = o.getJvmArgsAppend().get();
            // JMH's runner options replace the annotation's arguments whole: all of them are there, with this count
            assertEquals(List.of("-Xss4m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads,
                    "-Dai.djl.pytorch.num_interop_threads=1"), List.copyOf(args));
        }
    }

    @Test
    void theInferenceFloorSumsEveryConvolutionOfOneInference(@TempDir Path dir) {
        // only the floor column: no JMH fork, the floor is measured in this process
        String spec = TrainProtocolTest.SPEC.replace("columns: [accuracy]", "columns: [inference_floor]");
        StringWriter log = new StringWriter();
        ProtocolContext c = TrainProtocolTest.firstRow(spec, "floor.yaml", "ms-resnet20-dvs", 7L, dir, log);
        List<org.revbench.harness.result.Measurement> ms = new LatencyProtocol().measure(c);
        assertEquals(1, ms.size(), ms.toString());
        org.revbench.harness.result.Measurement m = ms.get(0);
        assertEquals("inference_conv_floor_us_per_image", m.metric());
        assertTrue(m.value() > 0, m.toString());
        // MS-ResNet20 (DVS): stem, 3 stages x 3 basic blocks x 2 convolutions, two 1x1 down-sampling shortcuts, run
        // once per time step on the time-folded batch (T 2 folds into the batch: one call each)
        assertEquals(1 + 18 + 2, ((Number) m.details().get("convolutions")).intValue(), m.details().toString());
        assertTrue(log.toString().contains("convolution floor"), log.toString());
    }

    @Test
    void theTrainingSplitStoresThePaceTheWorkAndTheRecompute(@TempDir Path dir) {
        // only the split column: no JMH fork, the split is measured in this process
        String spec = TrainProtocolTest.SPEC.replace("columns: [accuracy]", "columns: [train_split]");
        StringWriter log = new StringWriter();
        ProtocolContext c = TrainProtocolTest.firstRow(spec, "split.yaml", "ms-resnet20-dvs", 7L, dir, log);
        List<org.revbench.harness.result.Measurement> ms = new LatencyProtocol().measure(c);
        assertEquals(List.of("train_ms_per_conv_gmac", "train_conv_gmacs", "train_phase_forward_ms",
                        "train_phase_recompute_ms", "train_phase_backward_ms", "train_phase_update_ms"),
                ms.stream().map(org.revbench.harness.result.Measurement::metric).toList());
        org.revbench.harness.result.Measurement work = ms.get(1);
        // a plain network at batch 1: forward, and a backward of twice its MACs, nothing recomputed
        Map<String, Object> d = work.details();
        assertEquals(0.0, ((Number) d.get("recompute_gmacs")).doubleValue(), d.toString());
        assertEquals(2 * ((Number) d.get("forward_gmacs")).doubleValue(), ((Number) d.get("backward_gmacs")).doubleValue(),
                1e-12, d.toString());
        assertEquals(3 * ((Number) d.get("forward_gmacs")).doubleValue(), work.value(), 1e-12);
        assertEquals(((Number) d.get("step_ms")).doubleValue() / work.value(), ms.get(0).value(), 1e-9);
        assertTrue(ms.get(3).value() >= 0, ms.get(3).toString()); // a negative difference is noise, stored as 0
        assertEquals(Math.max(0, ((Number) d.get("recompute_difference_ms")).doubleValue()), ms.get(3).value());
        assertEquals(((Number) d.get("forward_ms")).doubleValue(), ms.get(2).value());
        assertEquals(((Number) d.get("backward_ms")).doubleValue(), ms.get(4).value());
        assertEquals(((Number) d.get("update_ms")).doubleValue(), ms.get(5).value());
        assertTrue(log.toString().contains("training split"), log.toString());
    }

    @Test
    void aForkWhoseLibtorchRunsAnotherCountRefusesToMeasure() {
        Engines.start();
        String before = System.getProperty(BenchmarkFork.THREADS_PROPERTY);
        int running = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        try {
            System.setProperty(BenchmarkFork.THREADS_PROPERTY, Integer.toString(running + 1));
            IllegalStateException e = assertThrows(IllegalStateException.class, BenchmarkFork::checkThreads);
            assertTrue(e.getMessage().contains("libtorch runs " + running + " intra-op threads"), e.getMessage());
            System.setProperty(BenchmarkFork.THREADS_PROPERTY, Integer.toString(running));
            BenchmarkFork.checkThreads();
        } finally {
            if (before == null) {
                System.clearProperty(BenchmarkFork.THREADS_PROPERTY);
            } else {
                System.setProperty(BenchmarkFork.THREADS_PROPERTY, before);
            }
        }
    }

    @Test
    void aSecondBenchmarkWaitsForTheFirstInsteadOfFailing() throws Exception {
        java.io.StringWriter secondLog = new java.io.StringWriter();
        java.util.concurrent.CountDownLatch acquired = new java.util.concurrent.CountDownLatch(1);
        Thread second;
        try (org.revbench.harness.bench.NodeLock first = org.revbench.harness.bench.NodeLock.exclusive(
                new java.io.PrintWriter(new java.io.StringWriter()), "first")) {
            second = new Thread(() -> {
                try (var l = org.revbench.harness.bench.NodeLock.exclusive(new java.io.PrintWriter(secondLog, true),
                        "second")) {
                    acquired.countDown();
                }
            });
            second.start();
            // bounded wait for the second to say it waits; it cannot have the lock while the first holds it
            long end = System.nanoTime() + 30_000_000_000L;
            while (!secondLog.toString().contains("waiting for the other measurements of this process") && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertTrue(secondLog.toString().contains("waiting for the other measurements of this process"), secondLog.toString());
            assertEquals(1, acquired.getCount(), "not while the first holds it");
        }
        assertTrue(acquired.await(30, java.util.concurrent.TimeUnit.SECONDS), "the second runs once the first ends");
        second.join(30_000);
    }
}
