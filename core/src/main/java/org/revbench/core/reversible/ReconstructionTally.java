package org.revbench.core.reversible;

import ai.djl.ndarray.types.DataType;
import org.revbench.core.nn.Module;

/**
 * Element-wise statistics of the reconstructions that {@link ReconstructionAudited} layers run during one or more
 * forward passes: how many reconstructed input elements miss the original by more than a tolerance, how many
 * spikes the inverse recomputes differently from the forward, the largest errors, and the conditioning the inverse
 * met (smallest divisor, largest amplification of a rounding error along one element's chain of steps).
 *
 * <p>An element mismatches when {@code |x' - x| > atol + rtol |x|} (numpy's {@code allclose} per element), or when
 * {@code x'} is not finite. {@link #forDtype}: float64 uses the reversible node paper's own check (rtol 1e-6,
 * atol 1e-10, its Sec. 5); float32 uses rtol 1e-4, atol 1e-5, about a thousand units in the last place at 1: far above
 * what rounding one step leaves, far below a flipped spike (an error of 1/beta).
 */
public final class ReconstructionTally {

    private final double rtol;
    private final double atol;
    private int layers;
    private long elements;
    private long mismatched;
    private long potentialElements;
    private long potentialMismatched;
    private double potentialMaxAbsError;
    private long spikes;
    private long flipped;
    private double maxAbsError;
    private double maxRelError;
    private double minDenominator = Double.POSITIVE_INFINITY;
    private double maxAmplification;

    public ReconstructionTally(double rtol, double atol) {
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0: rtol " + rtol + ", atol " + atol);
        }
        this.rtol = rtol;
        this.atol = atol;
    }

    /** The tolerance stated in the class notes for {@code dtype} (float64 or float32). */
    public static ReconstructionTally forDtype(DataType dtype) {
        return dtype == DataType.FLOAT64 ? new ReconstructionTally(1e-6, 1e-10) : new ReconstructionTally(1e-4, 1e-5);
    }

    /** Sets {@code tally} (null: removes it) on every {@link ReconstructionAudited} layer under {@code root}; returns how many. */
    public static int attach(Module root, ReconstructionTally tally) {
        int n = 0;
        if (root instanceof ReconstructionAudited a) {
            a.setReconstructionTally(tally);
            n++;
        }
        for (Module c : root.children().values()) {
            n += attach(c, tally);
        }
        return n;
    }

    public double rtol() { return rtol; }

    public double atol() { return atol; }

    /** One layer's input {@code want} against its reconstruction {@code got} (same length, same order). */
    public synchronized void addInputs(double[] want, double[] got) {
        if (want.length != got.length) {
            throw new IllegalArgumentException("lengths differ: " + want.length + " vs " + got.length);
        }
        double err = 0;
        double scale = 0;
        long bad = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[i] - want[i]);
            if (!(d <= atol + rtol * Math.abs(want[i]))) { // NaN counts as a mismatch
                bad++;
            }
            err = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(err, d);
            scale = Math.max(scale, Math.abs(want[i]));
        }
        layers++;
        elements += want.length;
        mismatched += bad;
        maxAbsError = Math.max(maxAbsError, err);
        maxRelError = Math.max(maxRelError, scale == 0 ? err : err / scale);
    }

    /**
     * One layer's hidden state (e.g. a spiking node's previous membrane potentials, which its inverse also
     * reconstructs and its backward uses) against its reconstruction, with the same tolerance as the inputs.
     */
    public synchronized void addPotentials(double[] want, double[] got) {
        if (want.length != got.length) {
            throw new IllegalArgumentException("lengths differ: " + want.length + " vs " + got.length);
        }
        long bad = 0;
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[i] - want[i]);
            if (!(d <= atol + rtol * Math.abs(want[i]))) {
                bad++;
            }
            err = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(err, d);
        }
        potentialElements += want.length;
        potentialMismatched += bad;
        potentialMaxAbsError = Math.max(potentialMaxAbsError, err);
    }

    public synchronized long potentialElements() { return potentialElements; }

    public synchronized long potentialMismatched() { return potentialMismatched; }

    /** Mismatched reconstructed state elements over all of them (0 when none were counted). */
    public synchronized double potentialMismatchFraction() {
        return potentialElements == 0 ? 0 : (double) potentialMismatched / potentialElements;
    }

    /** The largest absolute error of a reconstructed state element. */
    public synchronized double potentialMaxAbsError() { return potentialMaxAbsError; }

    /** {@code flippedSpikes} of {@code total} spikes (0/1 values of the step function) came out different. */
    public synchronized void addSpikes(long total, long flippedSpikes) {
        spikes += total;
        flipped += flippedSpikes;
    }

    /** The smallest divisor and the largest amplification one inverse met. */
    public synchronized void addConditioning(double minDivisor, double amplification) {
        minDenominator = Math.min(minDenominator, minDivisor);
        maxAmplification = Double.isNaN(amplification) ? Double.POSITIVE_INFINITY : Math.max(maxAmplification, amplification);
    }

    /** Layers (inverse calls) counted. */
    public synchronized int layers() { return layers; }

    public synchronized long elements() { return elements; }

    public synchronized long mismatched() { return mismatched; }

    public synchronized long spikes() { return spikes; }

    public synchronized long flipped() { return flipped; }

    /** Mismatched reconstructed elements over all reconstructed elements (0 when none were counted). */
    public synchronized double mismatchFraction() { return elements == 0 ? 0 : (double) mismatched / elements; }

    /** Flipped spikes over all recomputed spikes (0 when none were counted). */
    public synchronized double spikeFlipFraction() { return spikes == 0 ? 0 : (double) flipped / spikes; }

    public synchronized double maxAbsError() { return maxAbsError; }

    /** The largest per-layer error relative to that layer's largest input magnitude. */
    public synchronized double maxRelError() { return maxRelError; }

    /** Smallest |divisor| met (+infinity when none was reported). */
    public synchronized double minDenominator() { return minDenominator; }

    /** Largest amplification met (0 when none was reported). */
    public synchronized double maxAmplification() { return maxAmplification; }
}
