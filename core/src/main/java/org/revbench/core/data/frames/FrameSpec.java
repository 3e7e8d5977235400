package org.revbench.core.data.frames;

/**
 * How to turn a recording into frames: {@code frames} frames cut by {@code split}, integrated on an output grid of
 * {@code height x width}, or on the sensor's own grid when both are {@link #SENSOR_SIZE}.
 */
public record FrameSpec(int frames, SplitBy split, int height, int width) {

    /** Output size meaning "the sensor's size" (no resizing). */
    public static final int SENSOR_SIZE = 0;

    public FrameSpec {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be >= 1, got " + frames);
        }
        if (split == null) {
            throw new IllegalArgumentException("split must not be null");
        }
        boolean sensor = height == SENSOR_SIZE && width == SENSOR_SIZE;
        if (!sensor && (height < 1 || width < 1)) {
            throw new IllegalArgumentException("output size must be positive (or both 0 for the sensor's), got "
                    + height + "x" + width);
        }
    }

    /** Frames on the sensor's own grid. */
    public static FrameSpec of(int frames, SplitBy split) {
        return new FrameSpec(frames, split, SENSOR_SIZE, SENSOR_SIZE);
    }

    /** Frames resized to {@code height x width}. */
    public static FrameSpec of(int frames, SplitBy split, int height, int width) {
        return new FrameSpec(frames, split, height, width);
    }

    /** True when the frames keep the sensor's grid. */
    public boolean sensorSize() {
        return height == SENSOR_SIZE && width == SENSOR_SIZE;
    }

    @Override
    public String toString() {
        return "T=" + frames + " split=" + split.spikingJellyName()
                + (sensorSize() ? " size=sensor" : " size=" + height + "x" + width);
    }
}
