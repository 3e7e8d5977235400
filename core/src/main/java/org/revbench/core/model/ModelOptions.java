package org.revbench.core.model;

import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.TreeMap;

/**
 * Build options common to every model, plus free-form named options a model may read (e.g. a coupling's
 * alpha). Immutable; the {@code with*} methods return copies.
 */
public record ModelOptions(int classes, int timesteps, DataType dtype, long seed, Map<String, String> extra) {

    public ModelOptions {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        if (timesteps < 1) {
            throw new IllegalArgumentException("timesteps must be >= 1, got " + timesteps);
        }
        extra = Map.copyOf(new TreeMap<>(extra));
    }

    public static ModelOptions of(int classes, int timesteps) {
        return new ModelOptions(classes, timesteps, DataType.FLOAT32, 2023, Map.of());
    }

    public ModelOptions withClasses(int c) { return new ModelOptions(c, timesteps, dtype, seed, extra); }

    public ModelOptions withTimesteps(int t) { return new ModelOptions(classes, t, dtype, seed, extra); }

    public ModelOptions withDtype(DataType d) { return new ModelOptions(classes, timesteps, d, seed, extra); }

    public ModelOptions withSeed(long s) { return new ModelOptions(classes, timesteps, dtype, s, extra); }

    public ModelOptions with(String key, String value) {
        Map<String, String> m = new TreeMap<>(extra);
        m.put(key, value);
        return new ModelOptions(classes, timesteps, dtype, seed, m);
    }
}
