package org.revbench.core.model;

import ai.djl.ndarray.types.Shape;

/**
 * What a model consumes. A static image {@code [B, C, H, W]} is encoded over time by the model itself; an event
 * input arrives as frames {@code [T, B, C, H, W]}.
 */
public record InputSpec(int channels, int height, int width, boolean events) {

    /** The batch's shape for a given batch size and number of time steps. */
    public Shape batchShape(int batch, int timesteps) {
        return events ? new Shape(timesteps, batch, channels, height, width) : new Shape(batch, channels, height, width);
    }

    /**
     * This spec with the overrides a user gave in {@code options.extra()}: {@code input.channels},
     * {@code input.height}, {@code input.width} (e.g. a DVS model on 2x34x34 frames of simulated events).
     */
    public InputSpec overriddenBy(ModelOptions options) {
        java.util.Map<String, String> e = options.extra();
        return new InputSpec(Integer.parseInt(e.getOrDefault("input.channels", Integer.toString(channels))),
                Integer.parseInt(e.getOrDefault("input.height", Integer.toString(height))),
                Integer.parseInt(e.getOrDefault("input.width", Integer.toString(width))), events);
    }

    /** Options that make a model take {@code channels x height x width} input. */
    public static ModelOptions withInput(ModelOptions o, int channels, int height, int width) {
        return o.with("input.channels", Integer.toString(channels)).with("input.height", Integer.toString(height))
                .with("input.width", Integer.toString(width));
    }

    @Override
    public String toString() {
        return (events ? "events " : "image ") + channels + "x" + height + "x" + width;
    }
}
