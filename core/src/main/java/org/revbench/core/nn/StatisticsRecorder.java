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
    public record Entry(String layer, String kind, Shape outputPerFrame, long params, long macsPerFrame, long frames) {
        public long macsPerImage() { return macsPerFrame * frames; }
    }

    private final List<Entry> entries = new ArrayList<>();

    public void record(String layer, String kind, Shape outputPerFrame, long params, long macsPerFrame, long frames) {
        entries.add(new Entry(layer, kind, outputPerFrame, params, macsPerFrame, frames));
    }

    public List<Entry> entries() { return List.copyOf(entries); }

    /** MACs for one image over all its time steps. */
    public long macsPerImage() { return entries.stream().mapToLong(Entry::macsPerImage).sum(); }
}
