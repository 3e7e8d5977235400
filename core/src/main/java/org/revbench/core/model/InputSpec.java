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

    @Override
    public String toString() {
        return (events ? "events " : "image ") + channels + "x" + height + "x" + width;
    }
}
