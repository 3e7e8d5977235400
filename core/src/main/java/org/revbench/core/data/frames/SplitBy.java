package org.revbench.core.data.frames;

/** How a recording is cut into frames, as SpikingJelly's {@code split_by} argument. */
public enum SplitBy {
    /** Equal event counts per frame ({@code "number"}), the last frame taking the remainder. */
    NUMBER,
    /** Equal time windows between the first and the last timestamp ({@code "time"}). */
    TIME;

    /** SpikingJelly's name of the mode. */
    public String spikingJellyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
