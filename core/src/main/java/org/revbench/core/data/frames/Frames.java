package org.revbench.core.data.frames;

/**
 * Event-count frames {@code [T, 2, H, W]}, row-major in {@code data}: channel 0 counts polarity-0 (OFF) events,
 * channel 1 polarity-1 (ON) events, as SpikingJelly's frames.
 */
public record Frames(float[] data, int frames, int height, int width) {

    /** Channels per frame: one per polarity. */
    public static final int CHANNELS = 2;

    public Frames {
        long expected = (long) frames * CHANNELS * height * width;
        if (frames < 1 || height < 1 || width < 1 || data.length != expected) {
            throw new IllegalArgumentException(data.length + " values for frames [" + frames + ", 2, " + height
                    + ", " + width + "]");
        }
    }

    /** {@code {T, 2, H, W}}. */
    public long[] shape() {
        return new long[] {frames, CHANNELS, height, width};
    }

    /** Values per frame ({@code 2 * H * W}). */
    public int frameSize() {
        return CHANNELS * height * width;
    }

    /** The count at frame {@code t}, polarity {@code p}, row {@code y}, column {@code x}. */
    public float get(int t, int p, int y, int x) {
        return data[((t * CHANNELS + p) * height + y) * width + x];
    }

    /** Sum of frame {@code t}'s counts (its number of events). */
    public double frameTotal(int t) {
        double s = 0;
        int from = t * frameSize();
        for (int i = from; i < from + frameSize(); i++) {
            s += data[i];
        }
        return s;
    }

    /** Sum of all counts (the number of events integrated). */
    public double total() {
        double s = 0;
        for (float v : data) {
            s += v;
        }
        return s;
    }
}
