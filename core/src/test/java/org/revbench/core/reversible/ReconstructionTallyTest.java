package org.revbench.core.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class ReconstructionTallyTest {

    @Test
    void countsElementsBeyondTheToleranceAndSpikeFlips() {
        ReconstructionTally t = ReconstructionTally.forDtype(DataType.FLOAT64); // rtol 1e-6, atol 1e-10
        t.addInputs(new double[] {1.0, 2.0, 0.0, -4.0}, new double[] {1.0 + 5e-7, 3.0, 5e-11, Double.NaN});
        assertEquals(4, t.elements());
        assertEquals(2, t.mismatched(), "2.0 -> 3.0 and NaN; 5e-7 at 1.0 and 5e-11 at 0 are within");
        assertEquals(0.5, t.mismatchFraction(), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, t.maxAbsError());
        t.addSpikes(10, 1);
        t.addSpikes(10, 0);
        assertEquals(0.05, t.spikeFlipFraction(), 1e-15);
        t.addConditioning(0.5, 4.0);
        t.addConditioning(1e-3, 2.0);
        assertEquals(1e-3, t.minDenominator(), 0.0);
        assertEquals(4.0, t.maxAmplification(), 0.0);
        assertEquals(1, t.layers());
        ReconstructionTally f = ReconstructionTally.forDtype(DataType.FLOAT32);
        f.addInputs(new double[] {1.0, 0.0}, new double[] {1.00005, 2e-5});
        assertEquals(1, f.mismatched(), "float32: 5e-5 at 1 is within rtol 1e-4 + atol 1e-5; 2e-5 at 0 is not");
        assertEquals(5e-5, f.maxRelError(), 1e-12, "the largest error (5e-5) relative to the largest input magnitude (1)");
        assertThrows(IllegalArgumentException.class, () -> t.addInputs(new double[1], new double[2]));
    }
}
