package org.revbench.core.baseline;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.model.Network;
import org.revbench.core.nn.StatisticsRecorder;
import org.revbench.core.testing.EventFrameChecks;

/** Exact trainable-parameter counts of docs/papers.md, ParaRevSNN architectures (BN running statistics are buffers). */
class MsResNetTest {

    static NDManager manager;
    static ModelRegistry registry;

    @BeforeAll
    static void start() {
        manager = Engines.newManager(Device.cpu());
        registry = ModelRegistry.load();
    }

    @AfterAll
    static void stop() { manager.close(); }

    @ParameterizedTest
    @CsvSource({
        "ms-resnet18, 100, 11220132",
        "ms-resnet18, 10, 11173962",
        "ms-resnet34, 100, 21328292",
        "ms-resnet34, 10, 21282122",
        // torchvision's resnet34 has 21,797,672: the same stem, blocks, shortcuts (1x1 conv + BN) and head
        "ms-resnet34-imagenet, 1000, 21797672",
        "ms-resnet20-dvs, 10, 272330",
        "ms-resnet20-dvs, 11, 272395",
    })
    void trainableParameterCountsAreExact(String id, int classes, long expected) {
        ModelDefinition d = registry.get(id);
        try (NDManager m = manager.newSubManager(); Network n = d.build(m, d.defaults().withClasses(classes))) {
            assertEquals(expected, n.trainableParameters());
        }
    }

    @Test
    void profileCountsMacsOfEveryConvAndLinear() {
        ModelDefinition d = registry.get("ms-resnet18");
        try (NDManager m = manager.newSubManager(); Network n = d.build(m, d.defaults().withTimesteps(4))) {
            StatisticsRecorder rec = n.profile();
            long convs = rec.entries().stream().filter(e -> e.kind().startsWith("conv")).count();
            assertEquals(1 + 16 + 3, convs); // stem, 8 blocks x 2, 3 down-sampling shortcuts
            StatisticsRecorder.Entry stem = rec.entries().get(0);
            assertEquals("conv3x3/s1", stem.kind());
            assertEquals(32L * 32 * 64 * 3 * 9, stem.macsPerFrame());
            assertEquals(1, stem.frames()); // the stem runs once on the static image
            StatisticsRecorder.Entry fc = rec.entries().get(rec.entries().size() - 1);
            assertEquals("linear", fc.kind());
            assertEquals(512L * 100, fc.macsPerFrame());
            assertEquals(4, fc.frames());
            long paramsSeen = rec.entries().stream().mapToLong(StatisticsRecorder.Entry::params).sum();
            assertEquals(n.trainableParameters(), paramsSeen);
            // ResNet-18 on 32x32 is about 0.56 GMAC per frame
            long perFrame = rec.entries().stream().filter(e -> e.frames() == 4).mapToLong(StatisticsRecorder.Entry::macsPerFrame).sum();
            assertTrue(perFrame > 5.4e8 && perFrame < 5.7e8, "MACs per frame " + perFrame);
        }
    }

    /** Fed event frames, the CIFAR MS-ResNet's stem takes 2 channels instead of 3 and runs on every frame. */
    @Test
    void fedEventFramesTheStemTakesTwoChannelsOnEveryFrame() {
        ModelDefinition d = registry.get("ms-resnet18");
        ModelOptions o = d.defaults().withTimesteps(4);
        assertEquals(-64L * 9, EventFrameChecks.parameterChange(manager, d, o, 32)); // conv3x3 3->64 becomes 2->64, no bias
        try (NDManager m = manager.newSubManager(); Network n = d.build(m, EventFrameChecks.onFrames(o, 32))) {
            StatisticsRecorder.Entry stem = n.profile().entries().get(0);
            assertEquals(32L * 32 * 64 * 2 * 9, stem.macsPerFrame());
            assertEquals(4, stem.frames()); // once per frame, where an image is encoded once
        }
    }

    @Test
    void theImageNetVariantHasTheTorchvisionStemAndResNet34sMacs() {
        ModelDefinition d = registry.get("ms-resnet34-imagenet");
        try (NDManager m = manager.newSubManager(); Network n = d.build(m, d.defaults())) {
            StatisticsRecorder rec = n.profile();
            StatisticsRecorder.Entry stem = rec.entries().get(0);
            assertEquals("conv7x7/s2", stem.kind());
            assertEquals(112L * 112 * 64 * 3 * 49, stem.macsPerFrame());
            assertEquals(1, stem.frames());
            // torchvision quotes 3.67 GFLOPs (multiply-adds) for ResNet-34 at 224; the stem runs once, the rest per step
            long perStep = rec.entries().stream().filter(e -> e.frames() == 4).mapToLong(StatisticsRecorder.Entry::macsPerFrame).sum();
            assertTrue(perStep + stem.macsPerFrame() > 3.6e9 && perStep + stem.macsPerFrame() < 3.7e9, "MACs " + perStep);
        }
    }

    @Test
    void inputSizeCanBeOverriddenForSmallerFrames() {
        ModelDefinition d = registry.get("ms-resnet20-dvs");
        ModelOptions o = org.revbench.core.model.InputSpec.withInput(d.defaults().withTimesteps(2), 2, 34, 34);
        try (NDManager m = manager.newSubManager(); Network n = d.build(m, o);
             NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 2, 34, 34)); NDArray y = n.predict(x)) {
            assertEquals(new Shape(3, 10), y.getShape());
            assertEquals(272330, n.trainableParameters()); // global pooling: the size does not change the count
        }
    }

    @Test
    void predictGivesLogitsPerImage() {
        ModelDefinition d = registry.get("ms-resnet20-dvs");
        try (NDManager m = manager.newSubManager(); Network n = d.build(m, d.defaults().withTimesteps(2))) {
            try (NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 2, 128, 128)); NDArray y = n.predict(x)) {
                assertEquals(new Shape(3, 10), y.getShape());
            }
        }
    }
}
