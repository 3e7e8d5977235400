package org.revbench.core.model;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Engines;
import org.revbench.core.engine.Tensors;
import org.revbench.core.testmodels.TestModels;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.NonFiniteLossException;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.SyntheticBatch;
import org.revbench.core.testing.StepGradients;
import org.revbench.core.train.TrainingStep;

/** A network mixing autograd segments and a reversible stage trains through the one step interface. */
class SegmentedNetworkTest {

    static NDManager manager;
    static ModelDefinition def;

    @BeforeAll
    static void start() {
        manager = Engines.newManager(Device.cpu());
        def = ModelRegistry.load().get(TestModels.ID);
    }

    @AfterAll
    static void stop() { manager.close(); }

    static double[][] stepGradients(boolean memorySaving) {
        ModelOptions o = def.defaults().withDtype(DataType.FLOAT64).withTimesteps(2);
        try (NDManager m = manager.newSubManager(); Network n = def.build(m, o);
             SyntheticBatch b = SyntheticBatch.of(m, def.input(), 3, 2, 10, DataType.FLOAT64, 9)) {
            n.setMemorySaving(memorySaving);
            return StepGradients.of(n, b.input(), b.labels());
        }
    }

    @Test
    void wholeNetworkGradientsEqualPlainAutogradIncludingTheStemBeforeTheStage() {
        double[][] saving = stepGradients(true);
        double[][] plain = stepGradients(false);
        for (int i = 0; i < plain.length; i++) {
            double scale = 0;
            double diff = 0;
            for (int j = 0; j < plain[i].length; j++) {
                scale = Math.max(scale, Math.abs(plain[i][j]));
                diff = Math.max(diff, Math.abs(plain[i][j] - saving[i][j]));
            }
            assertTrue(scale > 0, "parameter " + i + " received no gradient");
            assertTrue(diff / scale <= 1e-9, "parameter " + i + " differs by " + diff / scale);
        }
    }

    @Test
    void lossFallsWhenOneBatchIsTrainedRepeatedly() {
        try (NDManager m = manager.newSubManager(); Network n = def.build(m, def.defaults().withTimesteps(2));
             SyntheticBatch b = SyntheticBatch.of(m, def.input(), 8, 2, 10, DataType.FLOAT32, 3);
             org.revbench.core.train.Adam adam = org.revbench.core.train.Adam.adamW(0)) {
            TrainingStep step = new TrainingStep(n, CrossEntropy.plain(), adam);
            double first = step.step(b.input(), b.labels(), 0.01).loss();
            double last = first;
            for (int i = 0; i < 20; i++) {
                last = step.step(b.input(), b.labels(), 0.01).loss();
            }
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        }
    }

    @Test
    void nanInputStopsTrainingWithAClearError() {
        try (NDManager m = manager.newSubManager(); Network n = def.build(m, def.defaults().withTimesteps(1));
             SyntheticBatch b = SyntheticBatch.of(m, def.input(), 2, 1, 10, DataType.FLOAT32, 3);
             Sgd sgd = new Sgd(0, 0)) {
            try (NDArray nan = Tensors.constant(m, Double.NaN, DataType.FLOAT32); NDArray bad = b.input().mul(nan)) {
                NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                        () -> new TrainingStep(n, CrossEntropy.plain(), sgd).step(bad, b.labels(), 0.1));
                assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("step 1"), e.getMessage());
            }
        }
    }

    @Test
    void wrongInputShapeIsRejectedWithTheExpectedShape() {
        try (NDManager m = manager.newSubManager(); Network n = def.build(m, def.defaults());
             NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(2, 3, 32, 32))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.predict(x));
            assertTrue(e.getMessage().contains("(2, 3, 16, 16)"), e.getMessage());
        }
    }

    @Test
    void unknownModelListsKnownIds() {
        ModelRegistry.UnknownModelException e = assertThrows(ModelRegistry.UnknownModelException.class,
                () -> ModelRegistry.load().get("resnet-999"));
        assertTrue(e.getMessage().contains("ms-resnet18") && e.getMessage().contains("ms-resnet20-dvs"), e.getMessage());
        assertEquals(ModelRegistry.load().ids().size(), ModelRegistry.load().all().size());
    }
}
