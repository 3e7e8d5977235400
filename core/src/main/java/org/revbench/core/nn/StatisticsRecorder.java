package org.revbench.core.nn;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects one row per compute layer during a profiling forward with batch 1: its output shape, parameters
 * and multiply-accumulates. Static metrics are measured once per model (as NeuroBench does), not per batch.
 */
public final class StatisticsRecorder {

    /**
     * One executed layer.
     *
     * @param macsPerFrame multiply-accumulates for one image at one time step
     * @param frames how many time steps the layer ran for one image (T for per-step layers, 1 for a stem that
     *     runs once before the input is repeated over time)
     */
    public record Entry(String layer, String kind, Shape outputPerFrame, long params, long macsPerFrame, long frames,
                        InputActivity activity) {
        public long macsPerImage() { return macsPerFrame * frames; }
    }

    /**
     * What a compute layer's input held in a measuring forward: the share of non-zero elements (the firing rate
     * when the input is spikes) and whether every element was 0 or 1 (a spike tensor, whose products are
     * accumulates only).
     */
    public record InputActivity(double nonZeroRate, boolean binary) {}

    private final List<Entry> entries = new ArrayList<>();
    private final boolean measureActivity;

    /** Records shapes, parameters and MACs only (the profile with a zero input). */
    public StatisticsRecorder() {
        this(false);
    }

    /** With {@code measureActivity}, compute layers also record their input's activity (costs a pass over it). */
    public StatisticsRecorder(boolean measureActivity) {
        this.measureActivity = measureActivity;
    }

    public boolean measuresActivity() { return measureActivity; }

    public void record(String layer, String kind, Shape outputPerFrame, long params, long macsPerFrame, long frames) {
        record(layer, kind, outputPerFrame, params, macsPerFrame, frames, null);
    }

    public void record(String layer, String kind, Shape outputPerFrame, long params, long macsPerFrame, long frames,
                       InputActivity activity) {
        entries.add(new Entry(layer, kind, outputPerFrame, params, macsPerFrame, frames, activity));
    }

    /** The activity of {@code x}, or null when this recorder does not measure it. */
    public InputActivity activityOf(ai.djl.ndarray.NDArray x) {
        if (!measureActivity) {
            return null;
        }
        long size = x.getShape().size();
        try (ai.djl.ndarray.NDArray nz = x.countNonzero();
             ai.djl.ndarray.NDArray one = x.getManager().ones(new Shape(), x.getDataType());
             ai.djl.ndarray.NDArray ones = x.eq(one); ai.djl.ndarray.NDArray onesCount = ones.countNonzero()) {
            long nonZero = nz.toLongArray()[0];
            long exactlyOne = onesCount.toLongArray()[0];
            return new InputActivity(size == 0 ? 0 : nonZero / (double) size, nonZero == exactlyOne);
        }
    }

    public List<Entry> entries() { return List.copyOf(entries); }

    /** MACs for one image over all its time steps. */
    public long macsPerImage() { return entries.stream().mapToLong(Entry::macsPerImage).sum(); }
}
