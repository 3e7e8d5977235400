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
     * {@code input.height}, {@code input.width} (e.g. a DVS model on 2x34x34 frames of simulated events) and
     * {@code input.events} (an image model fed event frames: its stem runs on every frame instead of once on the image).
     */
    public InputSpec overriddenBy(ModelOptions options) {
        java.util.Map<String, String> e = options.extra();
        String ev = e.getOrDefault("input.events", Boolean.toString(events));
        if (!ev.equals("true") && !ev.equals("false")) {
            throw new IllegalArgumentException("option input.events must be true or false, got '" + ev + "'");
        }
        return new InputSpec(Integer.parseInt(e.getOrDefault("input.channels", Integer.toString(channels))),
                Integer.parseInt(e.getOrDefault("input.height", Integer.toString(height))),
                Integer.parseInt(e.getOrDefault("input.width", Integer.toString(width))), Boolean.parseBoolean(ev));
    }

    /** Options that make a model take {@code channels x height x width} input. */
    public static ModelOptions withInput(ModelOptions o, int channels, int height, int width) {
        return o.with("input.channels", Integer.toString(channels)).with("input.height", Integer.toString(height))
                .with("input.width", Integer.toString(width));
    }

    /**
     * Options that feed a model event frames {@code [T, B, 2, height, width]} (the two polarities), one per time step,
     * whatever input it was defined for: an image model's stem then runs on every frame instead of once on an image
     * repeated over T, and only its stem's input channels change.
     */
    public static ModelOptions withEventFrames(ModelOptions o, int height, int width) {
        return withInput(o, EVENT_CHANNELS, height, width).with("input.events", "true");
    }

    /** Event frames carry one channel per polarity. */
    public static final int EVENT_CHANNELS = 2;

    @Override
    public String toString() {
        return (events ? "events " : "image ") + channels + "x" + height + "x" + width;
    }
}
