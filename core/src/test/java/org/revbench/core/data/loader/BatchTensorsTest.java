package org.revbench.core.data.loader;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.augment.CifarAugment;
import org.revbench.core.data.augment.Mixup;
import org.revbench.core.engine.Engines;

/** Conversion to tensors on the consumer's thread. */
class BatchTensorsTest {

    static NDManager manager;

    @BeforeAll
    static void start() { manager = Engines.newManager(Device.cpu()); }

    @AfterAll
    static void stop() { manager.close(); }

    static ImageSet cifarLike(int n) {
        byte[] px = new byte[n * 3 * 32 * 32];
        new SplittableRandom(2).nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new ImageSet("cifar-like", px, labels, 3, 32, 32, 10);
    }

    @Test
    void imageBatchesBecomeFloatInputsAndInt64Labels() {
        ImageSet set = cifarLike(10);
        SampleSource src = SampleSource.images(set, CifarAugment.paper(), true);
        try (BatchLoader loader = BatchLoader.builder(src, BatchLoader.Layout.IMAGES, 3, 32, 32).batchSize(4)
                .shuffle(true).seed(2020).build();
             NDManager m = manager.newSubManager()) {
            BatchLoader.Epoch e = loader.epoch(0);
            try (Batch b = e.next(m)) {
                assertEquals(new Shape(4, 3, 32, 32), b.input().getShape());
                assertEquals(DataType.FLOAT32, b.input().getDataType());
                assertEquals(DataType.INT64, b.labels().getDataType());
                assertArrayEquals(b.host().data(), b.input().toFloatArray());
                assertArrayEquals(b.host().labels(), b.labels().toLongArray());
                assertNull(b.targets());
                // sample 0 of the batch is its index's image, augmented with the generator for (seed, 0, index)
                int index = b.host().indices()[0];
                assertEquals(set.labels()[index], b.labels().toLongArray()[0]);
            }
            e.close();
        }
    }

    @Test
    void frameBatchesWithMixupTargets() {
        int t = 2;
        SampleSource src = new SampleSource() {
            @Override
            public int size() { return 6; }

            @Override
            public Sample sample(int index, SplittableRandom random) {
                float[] x = new float[t * 2 * 4 * 4];
                java.util.Arrays.fill(x, index);
                return new Sample(x, index % 3);
            }
        };
        try (BatchLoader loader = BatchLoader.builder(src, BatchLoader.Layout.FRAMES, t, 2, 4, 4).batchSize(6)
                .mixup(Mixup.paper(3)).build();
             NDManager m = manager.newSubManager()) {
            try (BatchLoader.Epoch e = loader.epoch(0); Batch b = e.next(m)) {
                assertEquals(new Shape(2, 6, 2, 4, 4), b.input().getShape());
                assertEquals(new Shape(6, 3), b.targets().getShape());
                assertArrayEquals(b.host().targets(), b.targets().toFloatArray());
            }
        }
    }
}
