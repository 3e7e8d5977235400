package org.revbench.core.data;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Engines;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.InputSpec;

class SyntheticDatasetTest {

    static final InputSpec IMAGE = new InputSpec(3, 16, 16, false);
    static final InputSpec EVENTS = new InputSpec(2, 12, 12, true);

    static NDManager manager;

    @BeforeAll
    static void start() { manager = Engines.newManager(Device.cpu()); }

    @AfterAll
    static void stop() { manager.close(); }

    @Test
    void batchesAreDeterministicForASeed() {
        for (InputSpec spec : new InputSpec[] {IMAGE, EVENTS}) {
            SyntheticDataset a = new SyntheticDataset(spec, 5, 3, 42);
            SyntheticDataset b = new SyntheticDataset(spec, 5, 3, 42);
            SyntheticDataset c = new SyntheticDataset(spec, 5, 3, 43);
            for (int i = 0; i < 3; i++) {
                try (NDManager m = manager.newSubManager();
                     SyntheticDataset.Batch x = a.next(m, 4, DataType.FLOAT32);
                     SyntheticDataset.Batch y = b.next(m, 4, DataType.FLOAT32);
                     SyntheticDataset.Batch z = c.next(m, 4, DataType.FLOAT32)) {
                    assertArrayEquals(x.input().toFloatArray(), y.input().toFloatArray(), spec.toString());
                    assertArrayEquals(x.labels().toLongArray(), y.labels().toLongArray());
                    assertFalse(Arrays.equals(x.input().toFloatArray(), z.input().toFloatArray()),
                            "another seed gives other data");
                }
            }
            assertEquals(12, a.produced());
        }
    }

    @Test
    void aStreamKeepsTheClassesAndDependsOnlyOnItsSeed() {
        SyntheticDataset d = new SyntheticDataset(IMAGE, 5, 3, 42);
        d.next(manager, 7, DataType.FLOAT64).close(); // draws before the stream must not matter
        SyntheticDataset a = d.stream(9);
        SyntheticDataset b = new SyntheticDataset(IMAGE, 5, 3, 42).stream(9);
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(d.prototype(k), a.prototype(k));
        }
        try (SyntheticDataset.Batch x = a.next(manager, 4, DataType.FLOAT64); SyntheticDataset.Batch y = b.next(manager, 4, DataType.FLOAT64);
             SyntheticDataset.Batch z = d.stream(10).next(manager, 4, DataType.FLOAT64)) {
            assertArrayEquals(Tensors.toDoubles(x.input()), Tensors.toDoubles(y.input()));
            assertFalse(Arrays.equals(Tensors.toDoubles(x.input()), Tensors.toDoubles(z.input())));
        }
    }

    @Test
    void shapesTypesAndLabelRange() {
        SyntheticDataset images = new SyntheticDataset(IMAGE, 7, 4, 1);
        try (SyntheticDataset.Batch b = images.next(manager, 64, DataType.FLOAT64)) {
            assertEquals(new Shape(64, 3, 16, 16), b.input().getShape());
            assertEquals(DataType.FLOAT64, b.input().getDataType());
            assertEquals(new Shape(64), b.labels().getShape());
            assertEquals(DataType.INT64, b.labels().getDataType());
            long[] labels = b.labels().toLongArray();
            assertTrue(Arrays.stream(labels).allMatch(l -> l >= 0 && l < 7), Arrays.toString(labels));
            assertTrue(Arrays.stream(labels).distinct().count() > 3, "labels vary");
        }
        SyntheticDataset events = new SyntheticDataset(EVENTS, 3, 5, 1);
        try (SyntheticDataset.Batch b = events.next(manager, 6, DataType.FLOAT32)) {
            assertEquals(new Shape(5, 6, 2, 12, 12), b.input().getShape());
            double[] v = Tensors.toDoubles(b.input());
            assertTrue(Arrays.stream(v).allMatch(x -> x >= 0 && x == Math.rint(x)), "non-negative counts");
            double mean = Arrays.stream(v).average().orElseThrow();
            assertTrue(mean > 0.05 && mean < SyntheticDataset.MAX_EVENT_RATE, "event rate " + mean);
            assertTrue(Arrays.stream(b.labels().toLongArray()).allMatch(l -> l >= 0 && l < 3));
        }
    }

    @Test
    void samplesAreCloserToTheirOwnPrototype() {
        // the task is learnable: nearest prototype recovers the label far above chance
        SyntheticDataset d = new SyntheticDataset(IMAGE, 10, 1, 7);
        int right = 0;
        int n = 100;
        try (SyntheticDataset.Batch b = d.next(manager, n, DataType.FLOAT64)) {
            double[] x = b.input().toDoubleArray();
            long[] labels = b.labels().toLongArray();
            int frame = 3 * 16 * 16;
            for (int i = 0; i < n; i++) {
                int best = -1;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int k = 0; k < 10; k++) {
                    double[] p = d.prototype(k);
                    double s = 0;
                    for (int j = 0; j < frame; j++) {
                        double diff = x[i * frame + j] - p[j];
                        s += diff * diff;
                    }
                    if (s < bestDistance) {
                        bestDistance = s;
                        best = k;
                    }
                }
                right += best == labels[i] ? 1 : 0;
            }
        }
        assertTrue(right >= 90, "nearest-prototype accuracy " + right + "/" + n);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticDataset(IMAGE, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticDataset(IMAGE, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticDataset(IMAGE, 2, 1, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticDataset(IMAGE, 2, 1, 0).next(manager, 0,
                DataType.FLOAT32));
    }
}
