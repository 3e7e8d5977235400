package org.revbench.pararev;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.revbench.core.memory.MemoryResult;
import org.revbench.core.memory.PeakMemoryProbe;
import org.revbench.core.memory.TrainingStepWorkload;

/**
 * Peak training memory, measured in forked JVMs at fixed shapes (deterministic): the activation part (the peak
 * minus what the step starts with: weights, gradients, momentum, batch) of a reversible network does not grow with
 * depth, while MS-ResNet's does, and at the same depth it is far below MS-ResNet's.
 */
class ActivationMemoryTest {

    static long activation(String model) {
        MemoryResult r = new PeakMemoryProbe().measure(TrainingStepWorkload.class, 1, 1,
                TrainingStepWorkload.args(model, 2, 2, 10, true, Device.cpu()));
        assumeTrue(r.available(), "peak-memory probe not available: " + r.reason());
        return r.peakBytes() - r.liveBytesBefore();
    }

    @Test
    void reversibleActivationMemoryIsFlatWithDepthAndBelowMsResNet() {
        long rev37 = activation("revsresnet37");
        long rev69 = activation("revsresnet69");
        long para37 = activation("pararevsnn37");
        long para69 = activation("pararevsnn69");
        long ms34 = activation("ms-resnet34");
        long ms68 = activation("ms-resnet68");
        System.out.printf("activation bytes: revsresnet 37/69 %d/%d, pararevsnn 37/69 %d/%d, ms-resnet 34/68 %d/%d%n",
                rev37, rev69, para37, para69, ms34, ms68);
        assertTrue(Math.abs(rev69 - rev37) <= 0.01 * rev37, "RevSResNet grows with depth: " + rev37 + " -> " + rev69);
        assertTrue(Math.abs(para69 - para37) <= 0.05 * para37, "ParaRevSNN grows with depth: " + para37 + " -> " + para69);
        assertTrue(ms68 > 1.3 * ms34, "MS-ResNet should grow with depth: " + ms34 + " -> " + ms68);
        assertTrue(rev37 < 0.6 * ms34, "RevSResNet37 " + rev37 + " vs MS-ResNet34 " + ms34);
    }
}
