package org.revbench.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.model.Network;
import org.revbench.core.testmodels.TestModels;
import org.revbench.core.train.SyntheticBatch;

class ActivityAndEnergyTest extends EngineTestBase {

    @Test
    void activityCountsNonZeroElementsAndTellsSpikesFromValues() {
        StatisticsRecorder rec = new StatisticsRecorder(true);
        try (NDManager m = manager.newSubManager();
             NDArray spikes = m.create(new float[] {0, 1, 1, 0, 0, 0, 1, 0});
             NDArray values = m.create(new float[] {0, 0.5f, 1, 0})) {
            StatisticsRecorder.InputActivity a = rec.activityOf(spikes);
            assertEquals(3 / 8.0, a.nonZeroRate(), 1e-12);
            assertTrue(a.binary());
            StatisticsRecorder.InputActivity b = rec.activityOf(values);
            assertEquals(0.5, b.nonZeroRate(), 1e-12);
            assertFalse(b.binary());
        }
        assertEquals(null, new StatisticsRecorder().activityOf(null), "a plain profile measures nothing");
    }

    @Test
    void energyIsEq13WithTheFirstLayerAsMacsAndLaterLayersAsAccumulates() {
        Shape s = new Shape(4, 8, 8);
        List<StatisticsRecorder.Entry> entries = List.of(
                new StatisticsRecorder.Entry("stem", "conv", s, 0, 1000, 1, new StatisticsRecorder.InputActivity(0.9, false)),
                new StatisticsRecorder.Entry("bn", "batchnorm", s, 0, 0, 4, null),
                new StatisticsRecorder.Entry("c1", "conv", s, 0, 2000, 4, new StatisticsRecorder.InputActivity(0.25, true)),
                new StatisticsRecorder.Entry("fc", "linear", s, 0, 100, 4, new StatisticsRecorder.InputActivity(0.5, false)));
        EnergyEstimate e = EnergyEstimate.of(entries);
        assertEquals(1000, e.macs(), 1e-9);
        assertEquals(0.25 * 8000 + 0.5 * 400, e.sops(), 1e-9);
        assertEquals(4.6e-12 * 1000 + 0.9e-12 * 2200, e.energyJoules(), 1e-24);
        assertEquals(400, e.nonBinaryInputMacs(), 1e-9, "the pooled input of the linear layer");
        assertThrows(IllegalArgumentException.class, () -> EnergyEstimate.of(List.of(entries.get(0),
                new StatisticsRecorder.Entry("c", "conv", s, 0, 10, 1, null))));
    }

    @Test
    void aNetworkRecordsTheImageLayerAsMacsAndSpikeLayersAsRates() {
        var def = ModelRegistry.load().get(TestModels.ID);
        try (NDManager m = manager.newSubManager(); Network n = def.build(m, def.defaults());
             SyntheticBatch b = SyntheticBatch.of(m, def.input(), 4, def.defaults().timesteps(), 10, DataType.FLOAT32, 3)) {
            List<StatisticsRecorder.Entry> entries = n.activity(b.input()).entries();
            List<StatisticsRecorder.Entry> compute = entries.stream().filter(e -> e.macsPerFrame() > 0).toList();
            assertFalse(compute.get(0).activity().binary(), "the stem convolution sees the image");
            // every later layer sees spikes, except the head's linear layer, which sees average-pooled spikes
            assertTrue(compute.stream().skip(1).limit(compute.size() - 2).allMatch(e -> e.activity().binary()));
            assertFalse(compute.get(compute.size() - 1).activity().binary());
            assertTrue(compute.stream().skip(1).allMatch(e -> e.activity().nonZeroRate() >= 0 && e.activity().nonZeroRate() <= 1));
            assertEquals(n.profile().macsPerImage(), compute.stream().mapToLong(StatisticsRecorder.Entry::macsPerImage).sum(),
                    "the activity forward sees the same layers and MACs as the profile");
            EnergyEstimate e = EnergyEstimate.of(entries);
            assertTrue(e.sops() > 0 && e.sops() < n.profile().macsPerImage());
            assertEquals(compute.get(0).macsPerImage(), e.macs(), 1e-9);
            assertEquals(compute.get(compute.size() - 1).macsPerImage(), e.nonBinaryInputMacs(), 1e-9);
        }
    }
}
