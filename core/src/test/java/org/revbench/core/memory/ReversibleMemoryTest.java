package org.revbench.core.memory;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.revbench.core.testmodels.TestModels;

/**
 * Peak training memory measured in forked JVMs: a reversible stage peaks lower than the same blocks under plain
 * autograd, and repeated measurements of one configuration agree within 0.5 %.
 */
class ReversibleMemoryTest {

    static MemoryResult measure(boolean memorySaving) {
        return new PeakMemoryProbe().measure(TrainingStepWorkload.class, 2, 2,
                TrainingStepWorkload.args(TestModels.ID, 4, 4, null, memorySaving, Device.cpu()));
    }

    @Test
    void reversibleStagePeaksBelowPlainAutogradAndRepeatsAgree() {
        MemoryResult saving = measure(true);
        assumeTrue(saving.available() || !System.getProperty("os.name").startsWith("Linux"), saving.reason());
        assumeTrue(saving.available(), "probe not available: " + saving.reason());
        MemoryResult savingAgain = measure(true);
        MemoryResult plain = measure(false);
        assertEquals(true, plain.available(), plain.reason());

        double spread = Math.abs(saving.peakBytes() - savingAgain.peakBytes()) / (double) saving.peakBytes();
        assertTrue(spread <= 0.005, "two measurements differ by " + spread * 100 + " %");

        double ratio = saving.peakBytes() / (double) plain.peakBytes();
        System.out.printf("reversible stage %.3f MiB/img, plain autograd %.3f MiB/img, ratio %.3f%n",
                saving.mibPerImage(), plain.mibPerImage(), ratio);
        assertTrue(ratio < 0.8, "memory-saving peak " + saving.peakBytes() + " vs plain " + plain.peakBytes());
    }
}
