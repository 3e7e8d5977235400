package org.revbench.trev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.ForwardPass;
import org.revbench.core.testing.ArrayChecks;
import org.revbench.core.train.Adam;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.TrainingStep;

/**
 * Training through core's {@link TrainingStep} uses the temporal reversible backward (the default), keeps one step's
 * states (the paper) or every step's (the public code's memory), and learns.
 */
class MemorySavingTrainingTest extends EngineTestBase {

    @Test
    void trainingStepRunsTheTemporalReversibleBackward() {
        try (NDManager m = manager.newSubManager();
             TrevNetwork n = TrevTesting.image(m, TrevSpec.image(TrevTesting.SMALL_WIDTHS, 3), 4, DataType.FLOAT32, 1);
             NDArray x = TrevTesting.gaussian(m, 2, 0.3, 1, DataType.FLOAT32, 4, 3, 32, 32);
             NDArray y = TrevTesting.labels(m, 3, 4)) {
            TrainingStep step = new TrainingStep(n, new CrossEntropy(0.1), Adam.adam());
            TemporalReversibleColumn column = n.column();
            assertTrue(n.memorySaving(), "memory saving is the default");
            step.step(x, y, 1e-3);
            assertEquals(1, column.reversals(), "one temporal reversible backward per training step");
            assertEquals(3, column.reconstructedSteps(), "T - 1 earlier steps reconstructed by the inverse");
            n.setMemorySaving(false);
            step.step(x, y, 1e-3);
            assertEquals(1, column.reversals(), "plain autograd does not reverse");
            n.setMemorySaving(true);
            step.step(x, y, 1e-3);
            assertEquals(2, column.reversals());
        }
    }

    @Test
    void keepsTheLastStepsStatesOnlyUnlessAskedForEveryStep() {
        for (StateKeeping keep : StateKeeping.values()) {
            TrevSpec s = new TrevSpec(TrevTesting.SMALL_WIDTHS, 3, false, true, 1, TrevLoss.LAST_STEP, keep);
            try (NDManager m = manager.newSubManager(); TrevNetwork n = TrevTesting.image(m, s, 4, DataType.FLOAT32, 4);
                 NDArray x = TrevTesting.gaussian(m, 5, 0.3, 1, DataType.FLOAT32, 2, 3, 32, 32)) {
                boolean before = Autograd.setRecording(true);
                try (ForwardPass pass = n.forwardTrain(x)) {
                    TrevNetwork.MemorySavingPass p = assertInstanceOf(TrevNetwork.MemorySavingPass.class, pass);
                    assertEquals(keep == StateKeeping.LAST_STEP ? 1 : 4, p.keptStateSteps());
                    // one stem output (8x8x4), the states (8x8x4 + 4x4x8 + 2x2x12 + 2x2x16) per kept step, the logits
                    long states = 2L * (8 * 8 * 4 + 4 * 4 * 8 + 2 * 2 * 12 + 2 * 2 * 16) * 4;
                    long expected = 2L * 8 * 8 * 4 * 4 + states * p.keptStateSteps() + 2L * TrevTesting.CLASSES * 4;
                    assertEquals(expected, p.keptBytes());
                } finally {
                    Autograd.setRecording(before);
                }
            }
        }
    }

    @Test
    void bothPassesComputeTheSameLogitsAndLoss() {
        TrevSpec s = new TrevSpec(TrevTesting.SMALL_WIDTHS, 3, false, true, 1, TrevLoss.WEIGHTED_STEPS, StateKeeping.LAST_STEP);
        try (NDManager m = manager.newSubManager(); TrevNetwork n = TrevTesting.image(m, s, 4, DataType.FLOAT64, 9);
             NDArray x = TrevTesting.gaussian(m, 10, 0.3, 1, DataType.FLOAT64, 2, 3, 32, 32);
             NDArray y = TrevTesting.labels(m, 11, 2)) {
            double[][] logits = new double[2][];
            double[] loss = new double[2];
            for (int i = 0; i < 2; i++) {
                n.setMemorySaving(i == 0);
                boolean before = Autograd.setRecording(true);
                try (ForwardPass pass = n.forwardTrain(x);
                     NDArray l = pass.trainingLoss(h -> CrossEntropy.plain().loss(h, y))) {
                    logits[i] = Tensors.toDoubles(pass.logits());
                    loss[i] = l.getDouble();
                } finally {
                    Autograd.setRecording(before);
                }
            }
            assertArrayEquals(logits[1], logits[0], 0, "the same forward, recorded or not");
            assertEquals(loss[1], loss[0], 0);
            assertTrue(ArrayChecks.maxAbs(logits[0]) > 1e-3, "logits near zero: nothing compared");
        }
    }

    @Test
    void lossFallsOnAFixedBatch() {
        TrevSpec s = new TrevSpec(TrevTesting.SMALL_WIDTHS, 3, false, true, 1, TrevLoss.WEIGHTED_STEPS, StateKeeping.LAST_STEP);
        try (NDManager m = manager.newSubManager(); TrevNetwork n = TrevTesting.image(m, s, 2, DataType.FLOAT32, 6);
             NDArray x = TrevTesting.gaussian(m, 7, 0.3, 1, DataType.FLOAT32, 8, 3, 32, 32);
             NDArray y = TrevTesting.labels(m, 8, 8)) {
            TrainingStep step = new TrainingStep(n, CrossEntropy.plain(), Adam.adam());
            double first = step.step(x, y, 3e-3).loss();
            double last = first;
            for (int i = 0; i < 30; i++) {
                last = step.step(x, y, 3e-3).loss();
            }
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        }
    }
}
