package org.revbench.trev;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.revbench.core.memory.MemoryResult;
import org.revbench.core.memory.PeakMemoryProbe;
import org.revbench.core.memory.TrainingStepWorkload;

/**
 * Peak memory of a training step measured by core's allocation probe in forked JVMs (widths 16/32/64/96, T 4,
 * 3x64x64, batch 4, float32): the temporal reversible backward peaks below plain autograd, and keeping only the last
 * step's states (the paper) peaks no higher than keeping every step's (the public code).
 */
class TemporalReversibleMemoryTest {

    /** One SGD step of trevsnn-tiny narrowed to 16/32/64/96 on 3x64x64 images, 5 classes, batch 4. */
    static MemoryResult measure(boolean saving, StateKeeping keep) {
        return new PeakMemoryProbe().measure(TrainingStepWorkload.class, 1, 1, "model=trevsnn-tiny", "batch=4", "timesteps=4",
                "classes=5", "seed=1", "memory-saving=" + saving, "option." + TrevSpec.OPT_WIDTHS + "=16,32,64,96",
                "option.input.height=64", "option.input.width=64", "option." + TrevSpec.OPT_STATES + "=" + keep.option());
    }

    @Test
    void temporalReversibleBackwardPeaksBelowPlainAutograd() {
        MemoryResult last = measure(true, StateKeeping.LAST_STEP);
        assumeTrue(last.available(), "probe not available: " + last.reason());
        MemoryResult every = measure(true, StateKeeping.EVERY_STEP);
        MemoryResult plain = measure(false, StateKeeping.LAST_STEP);
        System.out.printf(Locale.ROOT, "peak MiB/img: last-step %.3f, every-step %.3f, plain autograd %.3f%n",
                last.mibPerImage(), every.mibPerImage(), plain.mibPerImage());
        assertTrue(last.peakBytes() < plain.peakBytes(), "memory-saving " + last.peakBytes() + " vs plain " + plain.peakBytes());
        assertTrue(last.peakBytes() <= every.peakBytes(), "last-step " + last.peakBytes() + " vs every-step " + every.peakBytes());
    }

    /**
     * One SGD step of trevsnn-s-revsnn37 narrowed to 16/32/64/96 with 3/1/1/1 couplings on 3x64x64 images, 5 classes,
     * batch 4: three couplings at the finest stage, whose recompute then holds either one coupling's graph or three.
     */
    static MemoryResult measureSRevSnn(String spatialBackward) {
        return new PeakMemoryProbe().measure(TrainingStepWorkload.class, 1, 1, "model=trevsnn-s-revsnn37", "batch=4",
                "timesteps=4", "classes=5", "seed=1", "memory-saving=true", "option." + TrevSpec.OPT_WIDTHS + "=16,32,64,96",
                "option." + TrevSpec.OPT_DEPTHS + "=3,1,1,1", "option.input.height=64", "option.input.width=64",
                "option." + TrevSpec.OPT_SPATIAL_BACKWARD + "=" + spatialBackward);
    }

    /**
     * T-RevSNN Table 6, "temporal and spatial reversibility are orthogonal": S-RevSNN's couplings, back-propagated by
     * their own reversible backward inside the temporal one, peak below the same couplings recomputed with a graph.
     */
    @Test
    void nestedSpatialReversibilityPeaksBelowTemporalAlone() {
        MemoryResult both = measureSRevSnn("reversible");
        assumeTrue(both.available(), "probe not available: " + both.reason());
        MemoryResult temporal = measureSRevSnn("autograd");
        System.out.printf(Locale.ROOT, "s-revsnn stages, peak MiB/img: temporal + spatial %.3f, temporal alone %.3f%n",
                both.mibPerImage(), temporal.mibPerImage());
        assertTrue(both.peakBytes() < temporal.peakBytes(), "temporal + spatial " + both.peakBytes() + " vs temporal alone "
                + temporal.peakBytes());
    }
}
