package org.revbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Schedules against values computed by hand from the PyTorch and timm definitions. */
class LearningRateScheduleTest {

    @Test
    void constantIsTheSameEveryEpoch() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.05);
        assertEquals(0.05, s.lr(0));
        assertEquals(0.05, s.lr(1000));
        assertEquals("constant(lr=0.05)", s.describe());
    }

    @Test
    void multiStepMultipliesByGammaAtEachMilestoneAsPyTorchSteps() {
        // CIFAR-10 protocol: SGD lr 0.1, x0.1 at epochs 100 and 150
        LearningRateSchedule s = LearningRateSchedule.step(0.1, new int[] {150, 100}, 0.1);
        assertEquals(0.1, s.lr(0));
        assertEquals(0.1, s.lr(99));
        assertEquals(0.1 * 0.1, s.lr(100)); // exactly the double PyTorch's group['lr'] * gamma gives
        assertEquals(0.1 * 0.1, s.lr(149));
        assertEquals(0.1 * 0.1 * 0.1, s.lr(150)); // 0.0010000000000000002, one multiplication per milestone
        assertEquals(0.001, s.lr(199), 1e-18);
        assertEquals("step(lr=0.1, milestones=[100, 150], gamma=0.1)", s.describe());
        // a milestone listed twice applies gamma twice at once (MultiStepLR counts milestones)
        assertEquals(0.4 * Math.pow(0.5, 2), LearningRateSchedule.step(0.4, new int[] {3, 3}, 0.5).lr(3));
    }

    @Test
    void cosineWarmsUpLinearlyThenFollowsTheCosineOverAllEpochs() {
        // DVS protocol: AdamW 1e-3, 100 epochs, 10 warm-up epochs from 1e-5, min 1e-5
        LearningRateSchedule s = LearningRateSchedule.cosine(1e-3, 100, 10, 1e-5, 1e-5);
        assertEquals(1e-5, s.lr(0), 1e-18);
        assertEquals(1e-5 + 5 * (1e-3 - 1e-5) / 10, s.lr(5), 1e-18); // 5.05e-4
        assertEquals(5.05e-4, s.lr(5), 1e-15);
        assertEquals(1e-5 + 9 * 9.9e-5, s.lr(9), 1e-15); // 9.01e-4
        // after warm-up t is NOT shifted by warmup_t (timm warmup_prefix=False): cos(pi * 10 / 100)
        assertEquals(1e-5 + 0.5 * 9.9e-4 * (1 + Math.cos(Math.PI / 10)), s.lr(10), 1e-18);
        assertEquals(9.75773e-4, s.lr(10), 1e-9);
        assertEquals(1e-5 + 0.5 * 9.9e-4, s.lr(50), 1e-15); // half way: cos(pi/2) = 0
        assertEquals(1e-5 + 0.5 * 9.9e-4 * (1 + Math.cos(Math.PI * 99 / 100)), s.lr(99), 1e-18);
        assertEquals(1e-5, s.lr(100), 0); // past the single cycle: lr_min
        assertEquals(1e-5, s.lr(150), 0);
        assertEquals("cosine(lr=0.001, epochs=100, warmupEpochs=10, warmupFrom=1.0E-5, minLr=1.0E-5)", s.describe());
    }

    @Test
    void cosineWithoutWarmUpStartsAtTheBaseRate() {
        LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 4, 0, 0, 0);
        assertEquals(0.1, s.lr(0), 0);
        assertEquals(0.05 * (1 + Math.sqrt(0.5)), s.lr(1), 1e-16); // cos(pi/4)
        assertEquals(0.05, s.lr(2), 1e-16);
    }

    @Test
    void negativeEpochsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(1).lr(-1));
    }
}
