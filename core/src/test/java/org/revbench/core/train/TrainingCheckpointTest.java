package org.revbench.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;
import org.revbench.core.testmodels.TestModels;

/** Checkpoints restore a run bit for bit, and every kind of damaged or foreign file is refused by name. */
class TrainingCheckpointTest extends EngineTestBase {

    @TempDir
    Path folder;

    static void assertSameBytes(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i);
        }
    }

    /** Saves after two steps and loads into other parameters: values, running statistics and state all equal. */
    void roundTrip(Supplier<Optimizer> make, DataType dtype) throws IOException {
        Path file = folder.resolve("tiny-" + dtype + ".ckpt");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", "2");
        meta.put("schedule", LearningRateSchedule.step(0.1, new int[] {100, 150}, 0.1).describe());
        try (TinyParameters a = new TinyParameters(manager, dtype, 3, 2, 1);
             TinyParameters b = new TinyParameters(manager, dtype, 3, 2, 2);
             Optimizer trained = make.get(); Optimizer fresh = make.get()) {
            a.step(trained, 0, 0.1);
            a.step(trained, 1, 0.1);
            TrainingCheckpoint.save(file, a.parameters, trained, meta);
            List<NDArray> arraysBefore = b.parameters.stream().map(Parameter::array).toList();

            Map<String, String> loaded = TrainingCheckpoint.load(file, b.parameters, fresh);

            assertEquals(meta, loaded);
            assertEquals(List.copyOf(meta.keySet()), List.copyOf(loaded.keySet()), "meta keeps its order");
            assertSameBytes(TinyParameters.bytes(a.parameters), TinyParameters.bytes(b.parameters));
            for (int i = 0; i < arraysBefore.size(); i++) {
                assertSame(arraysBefore.get(i), b.parameters.get(i).array(), "restored in place: " + i);
            }
            assertArrayEquals(OptimizerStateTest.state(trained, a.parameters),
                    OptimizerStateTest.state(fresh, b.parameters));
            try (Stream<Path> files = Files.list(folder)) {
                assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
            }
        }
    }

    @Test
    void sgdWithMomentumAndWeightDecayRoundTripsInFloat64() throws IOException {
        roundTrip(() -> new Sgd(0.9, 1e-4), DataType.FLOAT64);
    }

    @Test
    void adamWRoundTripsInFloat32() throws IOException {
        roundTrip(() -> Adam.adamW(0.01), DataType.FLOAT32);
    }

    /**
     * The resume property: 4 steps straight equal 2 steps, checkpoint, a fresh network (other init seed) and
     * optimizer loaded from it, 2 more steps, bit for bit (same batches, same learning rates).
     */
    void resumeEqualsAnUninterruptedRun(Supplier<Optimizer> make, LearningRateSchedule schedule) throws IOException {
        ModelDefinition def = ModelRegistry.load().get(TestModels.ID);
        ModelOptions options = def.defaults().withTimesteps(2);
        Path file = folder.resolve("run.ckpt");
        try (NDManager m = manager.newSubManager()) {
            List<SyntheticBatch> batches = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                batches.add(SyntheticBatch.of(m, def.input(), 2, 2, options.classes(), DataType.FLOAT32, 40 + k));
            }
            List<byte[]> initial;
            List<byte[]> straight;
            try (Network n = def.build(m, options); Optimizer o = make.get()) {
                initial = TinyParameters.bytes(n.parameters());
                train(n, o, batches, 0, 4, schedule);
                straight = TinyParameters.bytes(n.parameters());
            }
            try (Network n = def.build(m, options); Optimizer o = make.get()) {
                train(n, o, batches, 0, 2, schedule);
                TrainingCheckpoint.save(file, n.parameters(), o, Map.of("epoch", "2"));
            }
            try (Network n = def.build(m, options.withSeed(7)); Optimizer o = make.get()) {
                assertFalse(Arrays.equals(initial.get(0), n.parameters().get(0).array().toByteArray()),
                        "the fresh network starts elsewhere");
                assertEquals("2", TrainingCheckpoint.load(file, n.parameters(), o).get("epoch"));
                train(n, o, batches, 2, 4, schedule);
                assertSameBytes(straight, TinyParameters.bytes(n.parameters()));
            }
            assertFalse(Arrays.equals(initial.get(0), straight.get(0)), "training moved the parameters");
            batches.forEach(SyntheticBatch::close);
        }
    }

    static void train(Network n, Optimizer o, List<SyntheticBatch> batches, int from, int to,
                      LearningRateSchedule schedule) {
        TrainingStep step = new TrainingStep(n, CrossEntropy.plain(), o);
        for (int k = from; k < to; k++) {
            step.step(batches.get(k).input(), batches.get(k).labels(), schedule.lr(k));
        }
    }

    @Test
    void sgdRunResumedFromACheckpointEndsBitIdentical() throws IOException {
        resumeEqualsAnUninterruptedRun(() -> new Sgd(0.9, 1e-4), LearningRateSchedule.step(0.1, new int[] {3}, 0.1));
    }

    @Test
    void adamWRunResumedFromACheckpointEndsBitIdentical() throws IOException {
        resumeEqualsAnUninterruptedRun(() -> Adam.adamW(0.01), LearningRateSchedule.cosine(1e-3, 4, 1, 1e-5, 1e-5));
    }

    // ---- seed streams: dropout in a reversible block ----

    /** One "epoch" as the train protocol runs it: libtorch re-seeded from (seed, epoch), then its batches. */
    static void epoch(Network n, Optimizer o, List<SyntheticBatch> batches, int epoch) {
        Engines.seedNative(1_000_003L + epoch);
        TrainingStep step = new TrainingStep(n, CrossEntropy.plain(), o);
        for (int k = 2 * epoch; k < 2 * epoch + 2; k++) {
            step.step(batches.get(k).input(), batches.get(k).labels(), 0.01);
        }
    }

    /**
     * A model with dropout in its reversible blocks, killed after epoch 1 and resumed from the checkpoint into a
     * freshly built one (same seed, as the protocol rebuilds it), ends bit for bit where an uninterrupted run
     * ends; with the stage's seed stream set back to its start it would not (the test can see the difference).
     */
    @Test
    void dropoutInAReversibleBlockResumesExactly() throws IOException {
        ModelOptions options = ModelOptions.of(10, 2);
        Path file = folder.resolve("dropout.ckpt");
        try (NDManager m = manager.newSubManager()) {
            List<SyntheticBatch> batches = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                batches.add(SyntheticBatch.of(m, TestModels.INPUT, 2, 2, 10, DataType.FLOAT32, 60 + k));
            }
            List<byte[]> straight;
            try (Network n = TestModels.build(m, options, 0.3); Optimizer o = Adam.adamW(0.01)) {
                epoch(n, o, batches, 0);
                epoch(n, o, batches, 1);
                straight = TinyParameters.bytes(n.parameters());
            }
            try (Network n = TestModels.build(m, options, 0.3); Optimizer o = Adam.adamW(0.01)) {
                epoch(n, o, batches, 0);
                assertEquals(Map.of("s0.stage", 2L), positions(n), "one draw per training forward");
                TrainingCheckpoint.save(file, n, o, Map.of("epoch", "0"));
            }
            try (Network n = TestModels.build(m, options, 0.3); Optimizer o = Adam.adamW(0.01)) {
                TrainingCheckpoint.load(file, n, o);
                assertEquals(Map.of("s0.stage", 2L), positions(n));
                epoch(n, o, batches, 1);
                assertSameBytes(straight, TinyParameters.bytes(n.parameters()));
            }
            try (Network n = TestModels.build(m, options, 0.3); Optimizer o = Adam.adamW(0.01)) {
                TrainingCheckpoint.load(file, n, o);
                n.seedStreams().values().forEach(s -> s.seek(0)); // what a checkpoint without the positions gave
                epoch(n, o, batches, 1);
                assertFalse(Arrays.equals(straight.get(straight.size() - 1),
                        TinyParameters.bytes(n.parameters()).get(straight.size() - 1)), "the seeds decide the masks");
            }
            batches.forEach(SyntheticBatch::close);
        }
    }

    static Map<String, Long> positions(Network n) {
        Map<String, Long> out = new LinkedHashMap<>();
        n.seedStreams().forEach((k, v) -> out.put(k, v.position()));
        return out;
    }

    @Test
    void aVersion1CheckpointLoadsWithoutSeedStreamsAndIsRefusedByANetworkWithThem() throws IOException {
        Path old = folder.resolve("v1.ckpt");
        try (TinyParameters a = new TinyParameters(manager, DataType.FLOAT32, 3, 2, 1);
             TinyParameters b = new TinyParameters(manager, DataType.FLOAT32, 3, 2, 2);
             Sgd trained = new Sgd(0.9, 0); Sgd fresh = new Sgd(0.9, 0)) {
            a.step(trained, 0, 0.1);
            TrainingCheckpoint.save(old, a.parameters, Map.of(), trained, Map.of("epoch", "3"), 1);
            assertEquals("3", TrainingCheckpoint.load(old, b.parameters, fresh).get("epoch"));
            assertSameBytes(TinyParameters.bytes(a.parameters), TinyParameters.bytes(b.parameters));
        }
        Path reversible = folder.resolve("v1-reversible.ckpt");
        try (NDManager m = manager.newSubManager(); Network n = TestModels.build(m, ModelOptions.of(10, 2), 0.3);
             Optimizer o = Adam.adamW(0.01)) {
            TrainingCheckpoint.save(reversible, n.parameters(), Map.of(), o, Map.of(), 1);
            CheckpointException e = assertThrows(CheckpointException.class, () -> TrainingCheckpoint.load(reversible, n, o));
            assertTrue(e.getMessage().startsWith("checkpoint " + reversible + ": format version 1 predates seed streams"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("s0.stage") && e.getMessage().contains("delete the checkpoint"), e.getMessage());
            Path current = folder.resolve("v2-reversible.ckpt");
            TrainingCheckpoint.save(current, n, o, Map.of());
            assertTrue(assertThrows(CheckpointException.class, () -> TrainingCheckpoint.load(current, n.parameters(), o))
                    .getMessage().endsWith("seed streams [s0.stage] in the checkpoint but [] in the network"));
        }
    }

    // ---- damaged and foreign files ----

    /** A checkpoint of {@link TinyParameters} (3 -> 2) after one SGD step. */
    Path tinyCheckpoint(String name) throws IOException {
        Path file = folder.resolve(name);
        try (TinyParameters p = new TinyParameters(manager, DataType.FLOAT32, 3, 2, 1); Sgd sgd = new Sgd(0.9, 0)) {
            p.step(sgd, 0, 0.1);
            TrainingCheckpoint.save(file, p.parameters, sgd, Map.of());
        }
        return file;
    }

    /** Loading {@code file} into fresh tiny parameters of {@code in -> 2} fails; returns the message. */
    static String loadFailure(Path file, int in) {
        try (TinyParameters p = new TinyParameters(manager, DataType.FLOAT32, in, 2, 5); Sgd sgd = new Sgd(0.9, 0)) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> TrainingCheckpoint.load(file, p.parameters, sgd));
            assertTrue(e.getMessage().startsWith("checkpoint " + file + ": "), e.getMessage());
            assertEquals(file, e.file());
            return e.getMessage();
        }
    }

    @Test
    void aTruncatedFileIsReportedAsTruncated() throws IOException {
        Path file = tinyCheckpoint("cut.ckpt");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
        String message = loadFailure(file, 3);
        assertTrue(message.contains("truncated: the end marker is missing"), message);
    }

    @Test
    void aFlippedByteFailsTheCrc() throws IOException {
        Path file = tinyCheckpoint("flipped.ckpt");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        String message = loadFailure(file, 3);
        assertTrue(message.contains("corrupt: CRC32 mismatch"), message);
    }

    @Test
    void aFileWithoutTheMagicIsNotACheckpoint() throws IOException {
        Path file = tinyCheckpoint("other.ckpt");
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] = 'X';
        Files.write(file, bytes);
        String message = loadFailure(file, 3);
        assertTrue(message.contains("not a RevBench training checkpoint (wrong magic: starts with 'XEVBCKPT'"),
                message);
    }

    @Test
    void parametersOfAnotherShapeAreNamedWithBothShapes() throws IOException {
        Path file = tinyCheckpoint("narrow.ckpt");
        String message = loadFailure(file, 4);
        assertTrue(message.endsWith(
                ": parameter 0 'weight' was saved as (2, 3) float32, the network's is (2, 4) float32"), message);
    }

    @Test
    void aMissingFileIsNamed() {
        String message = loadFailure(folder.resolve("absent.ckpt"), 3);
        assertTrue(message.endsWith(": no such file"), message);
    }

    @Test
    void aFailedLoadChangesNothing() throws IOException {
        Path file = tinyCheckpoint("sgd.ckpt");
        try (TinyParameters p = new TinyParameters(manager, DataType.FLOAT32, 3, 2, 5); Adam adam = Adam.adamW(0)) {
            List<byte[]> before = TinyParameters.bytes(p.parameters);
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> TrainingCheckpoint.load(file, p.parameters, adam));
            assertTrue(e.getMessage().endsWith("optimizer state was saved by 'sgd', cannot restore it into 'adam'"),
                    e.getMessage());
            assertSameBytes(before, TinyParameters.bytes(p.parameters));
        }
    }

    @Test
    void aSaveThatFailsHalfWayLeavesThePreviousCheckpoint() throws IOException {
        Path file = tinyCheckpoint("kept.ckpt");
        byte[] previous = Files.readAllBytes(file);
        Optimizer failing = new Optimizer() {
            @Override
            public void step(List<Parameter> parameters, double lr) {}

            @Override
            public void writeState(DataOutput out, List<Parameter> parameters) throws IOException {
                out.writeUTF("half");
                throw new IOException("killed while writing");
            }

            @Override
            public void readState(DataInput in, List<Parameter> parameters) {}
        };
        try (TinyParameters p = new TinyParameters(manager, DataType.FLOAT32, 3, 2, 9)) {
            assertThrows(IOException.class, () -> TrainingCheckpoint.save(file, p.parameters, failing, Map.of()));
        }
        assertArrayEquals(previous, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(file), files.toList(), "the temporary file is removed");
        }
    }
}
