package org.revbench.harness.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.model.ModelRegistry;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecLoader;

class TrainProtocolTest {

    /** A small real model on synthetic data: 2 epochs of 3 steps, T 2, 34x34 frames. */
    static final String SPEC = """
            paper: test
            table: resume
            title: "resume"
            defaults:
              dataset: synthetic
              classes: 10
              timesteps: 2
              input_size: 34
              optimizer: {name: sgd, lr: 0.05, momentum: 0.9, weight_decay: 1.0e-4}
              schedule: {name: step, milestones: [1], gamma: 0.5}
              epochs: 2
              batch: 4
              train_limit: 12
              eval_limit: 8
              seeds: [7]
              target_top1: 1.0
              columns: [accuracy]
              latency: {batch: 1, forks: 1, iterations: 1, seconds: 1}
            rows:
              - {id: r, model: ms-resnet20-dvs}
            """;

    /** The same with the DVS protocol's mixup and label smoothing: every batch of epoch 1 mixed, epoch 2 not. */
    static final String MIXUP_SPEC = SPEC.replace("  target_top1: 1.0\n",
            "  target_top1: 1.0\n  mixup: {alpha: 0.5, prob: 1.0, off_after_epoch: 1}\n  label_smoothing: 0.1\n");

    static ProtocolContext context(Path work, StringWriter log) {
        return context(SPEC, work, log);
    }

    static ProtocolContext context(String yaml, Path work, StringWriter log) {
        return firstRow(yaml, "resume.yaml", "ms-resnet20-dvs", 7L, work, log);
    }

    /** The paper-scale context of the first row of the spec {@code yaml}, run on {@code model} (any protocol's test). */
    static ProtocolContext firstRow(String yaml, String file, String model, long seed, Path work, StringWriter log) {
        ExperimentSpec spec = SpecLoader.read(yaml, file, m -> true);
        return new ProtocolContext(spec, spec.rows().get(0), Scale.PAPER, spec.rows().get(0).at(Scale.PAPER),
                ModelRegistry.load().get(model), Provenance.collect(seed), new PrintWriter(log, true), work);
    }

    static Map<String, Double> values(List<Measurement> ms) {
        return ms.stream().filter(m -> !m.metric().equals("train_seconds") && !m.metric().equals("seconds_to_target"))
                .collect(Collectors.toMap(Measurement::metric, Measurement::value));
    }

    /** The same context at another code version: a provenance of {@code commit} with a clean tree. */
    static ProtocolContext at(String commit, Path work, StringWriter log) {
        ProtocolContext c = context(SPEC, work, log);
        Provenance p = c.provenance();
        Provenance other = new Provenance(commit, false, Provenance.CLEAN, p.jdk(), p.jvm(), p.djlVersion(),
                p.libtorchVersion(), p.os(), p.cpuModel(), p.machineClass(), p.allocator(), p.cpus(), p.threads(), p.seed(),
                p.runId(), p.timestamp());
        return new ProtocolContext(c.spec(), c.row(), c.scale(), c.settings(), c.model(), other, c.log(), c.workDir());
    }

    /** The context of worker {@code runId} (another process) at the clean commit {@code commit}, of seed 7 alone. */
    static ProtocolContext worker(String runId, String commit, Path work, StringWriter log) {
        ProtocolContext c = at(commit, work, log);
        Provenance p = c.provenance();
        Provenance other = new Provenance(p.gitCommit(), false, Provenance.CLEAN, p.jdk(), p.jvm(), p.djlVersion(),
                p.libtorchVersion(), p.os(), p.cpuModel(), p.machineClass(), p.allocator(), p.cpus(), p.threads(), p.seed(),
                runId, p.timestamp());
        return new ProtocolContext(c.spec(), c.row(), c.scale(), c.settings(), c.model(), other, c.log(), c.workDir(),
                List.of(7L));
    }

    @Test
    void aSeedKilledInOneWorkerResumesInAnotherFromTheSharedWorkDirectory(@TempDir Path dir) throws Exception {
        String commit = "b".repeat(40);
        TrainProtocol killed = new TrainProtocol();
        killed.killAfterEpoch = 1;
        assertThrows(TrainProtocol.SimulatedKill.class,
                () -> killed.measure(worker("worker-a", commit, dir, new StringWriter())));
        StringWriter log = new StringWriter();
        List<Measurement> resumed = new TrainProtocol().measure(worker("worker-b", commit, dir, log));
        assertTrue(log.toString().contains("resuming after epoch 1"), "another process of the same code resumes: " + log);
        assertEquals(List.of(7L), resumed.stream().map(Measurement::seed).distinct().toList());
        assertEquals(1, ((Number) resumed.get(0).details().get("resumed_from_epoch")).intValue());
        List<Measurement> straight = new TrainProtocol().measure(worker("worker-c", commit, dir.resolve("straight"),
                new StringWriter()));
        assertEquals(values(straight), values(resumed), "the resumed seed ends as an uninterrupted one");
    }

    @Test
    void aFinishedSeedIsReusedOnlyByTheCodeVersionThatTrainedIt(@TempDir Path dir) throws Exception {
        StringWriter first = new StringWriter();
        new TrainProtocol().measure(at("a".repeat(40), dir, first));
        StringWriter same = new StringWriter();
        new TrainProtocol().measure(at("a".repeat(40), dir, same));
        assertTrue(same.toString().contains("finished before by this code"), same.toString());
        // a new commit (an empty one is enough) trains again, in the same work directory
        StringWriter next = new StringWriter();
        new TrainProtocol().measure(at("b".repeat(40), dir, next));
        assertFalse(next.toString().contains("finished before"), next.toString());
        assertTrue(next.toString().contains("top-1"), next.toString());
    }

    @Test
    void aSeedThatAnotherRunIsTrainingInTheSameWorkDirectoryIsNotTrainedTwice(@TempDir Path dir) throws Exception {
        ProtocolContext c = at("a".repeat(40), dir, new StringWriter());
        Path seedDir = dir.resolve("seed-7");
        Files.createDirectories(seedDir);
        try (java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(
                seedDir.resolve("train-" + c.identity("train") + ".lock"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); var lock = held.lock()) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> new TrainProtocol().measure(c));
            assertTrue(e.getMessage().contains("another run is training it in " + seedDir), e.getMessage());
        }
        try (var files = Files.list(seedDir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("checkpoint-")), "nothing written");
        }
    }

    @Test
    void aRunKilledAfterItsFirstEpochResumesAndEndsWithTheUninterruptedNumbers(@TempDir Path dir) throws Exception {
        killAfterEpochOneAndResume(SPEC, dir);
    }

    @Test
    void aRunKilledAfterItsLastEpochsCheckpointResumesToItsNumbersWithoutTrainingAgain(@TempDir Path dir) throws Exception {
        List<Measurement> straight = new TrainProtocol().measure(context(SPEC, dir.resolve("a"), new StringWriter()));
        TrainProtocol killed = new TrainProtocol();
        killed.killAfterEpoch = 2; // the spec's last epoch: its checkpoint is written, its result file is not
        assertThrows(TrainProtocol.SimulatedKill.class, () -> killed.measure(context(SPEC, dir.resolve("b"), new StringWriter())));
        StringWriter log = new StringWriter();
        List<Measurement> resumed = new TrainProtocol().measure(context(SPEC, dir.resolve("b"), log));
        assertTrue(log.toString().contains("resuming after epoch 2"), log.toString());
        assertEquals(values(straight), values(resumed));
    }

    @Test
    void aMixupRunResumesLikewiseAndTrainsOnSoftTargets(@TempDir Path dir) throws Exception {
        List<Measurement> mixed = killAfterEpochOneAndResume(MIXUP_SPEC, dir);
        assertEquals("alpha 0.5, prob 1.0, label smoothing 0.1, epochs 1-1", mixed.get(0).details().get("mixup"));
        List<Measurement> plain = new TrainProtocol().measure(context(SPEC, dir.resolve("plain"), new StringWriter()));
        assertNotEquals(((List<?>) plain.get(0).details().get("epoch_loss")).get(0),
                ((List<?>) mixed.get(0).details().get("epoch_loss")).get(0), "mixup changes what epoch 1 trains on");
    }

    /**
     * A row with {@code event_input} trains an image model (the CIFAR MS-ResNet18 of the head-to-head study) on event
     * frames, its stem on every frame, and its measurement says so.
     */
    @Test
    void anImageModelTrainsOnEventFramesWhereTheRowSaysSo(@TempDir Path dir) throws Exception {
        String yaml = SPEC.replace("input_size: 34", "input_size: 16\n  event_input: true").replace("  target_top1: 1.0\n", "")
                .replace("epochs: 2", "epochs: 1");
        StringWriter log = new StringWriter();
        List<Measurement> ms = new TrainProtocol().measure(firstRow(yaml, "events.yaml", "ms-resnet18", 7L, dir, log));
        Measurement top1 = ms.stream().filter(m -> m.metric().equals("top1")).findFirst().orElseThrow();
        assertEquals("events 2x16x16", top1.details().get("input"), log.toString());
        assertTrue(top1.value() >= 0 && top1.value() <= 100);
    }

    @Test
    void theEpochsToATargetAreTheFirstEpochWhoseTestReachedIt() {
        // T-RevSNN Table 5's "Epochs to 60% Acc"
        assertEquals(3, TrainProtocol.epochsToTarget(List.of(41.0, 58.9, 60.0, 59.0, 63.0), 60.0));
        assertEquals(1, TrainProtocol.epochsToTarget(List.of(61.0), 60.0));
        assertNull(TrainProtocol.epochsToTarget(List.of(10.0, 59.99), 60.0));
        assertNull(TrainProtocol.epochsToTarget(List.of(), 60.0));
    }

    /** Trains straight, then killed after epoch 1 and resumed: both end with the same numbers. */
    static List<Measurement> killAfterEpochOneAndResume(String yaml, Path dir) throws Exception {
        List<Measurement> straight = new TrainProtocol().measure(context(yaml, dir.resolve("a"), new StringWriter()));

        TrainProtocol killed = new TrainProtocol();
        killed.killAfterEpoch = 1;
        assertThrows(TrainProtocol.SimulatedKill.class, () -> killed.measure(context(yaml, dir.resolve("b"), new StringWriter())));
        try (var files = Files.walk(dir.resolve("b"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("checkpoint-")), "a checkpoint was left");
        }
        StringWriter log = new StringWriter();
        List<Measurement> resumed = new TrainProtocol().measure(context(yaml, dir.resolve("b"), log));
        assertTrue(log.toString().contains("resuming after epoch 1"), log.toString());
        assertEquals(values(straight), values(resumed));
        Map<String, Object> d = resumed.get(0).details();
        assertEquals(straight.get(0).details().get("epoch_loss"), d.get("epoch_loss"));
        assertEquals(1, ((Number) d.get("resumed_from_epoch")).intValue());
        assertEquals(straight.get(0).details().get("epoch_top1"), d.get("epoch_top1"), "per-epoch tests survive the kill");
        assertEquals(2, ((List<?>) d.get("epoch_top1")).size());
        // the first epoch whose test reached target_top1 is a measurement of its own, absent when none did
        List<Double> epochTop1 = ((List<?>) d.get("epoch_top1")).stream().map(x -> ((Number) x).doubleValue()).toList();
        Integer epochs = TrainProtocol.epochsToTarget(epochTop1, 1.0);
        assertEquals(epochs == null ? List.of() : List.of(epochs.doubleValue()), resumed.stream()
                .filter(m -> m.metric().equals("epochs_to_target")).map(Measurement::value).toList());
        try (var files = Files.walk(dir.resolve("b"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("checkpoint-")), "a finished seed keeps no checkpoint");
        }

        // a finished seed is not trained again
        StringWriter again = new StringWriter();
        assertEquals(values(straight), values(new TrainProtocol().measure(context(yaml, dir.resolve("b"), again))));
        assertTrue(again.toString().contains("finished before"), again.toString());
        return resumed;
    }
}
