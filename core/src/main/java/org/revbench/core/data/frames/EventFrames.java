package org.revbench.core.data.frames;

import org.revbench.core.data.EventStream;

/**
 * Events to count frames {@code [T, 2, H, W]}, as SpikingJelly's {@code integrate_events_by_fixed_frames_number}
 * ({@code spikingjelly/datasets/utils.py}: {@code cal_fixed_frames_number_segment_index} cuts the event indices
 * into {@code [j_l, j_r)} segments, {@code integrate_events_segment_to_frame} counts each segment's events per
 * polarity and pixel).
 *
 * <p>Segments, for N events and T frames:
 * <ul>
 *   <li>{@link SplitBy#NUMBER}: {@code di = N / T} (integer division), frame i covers {@code [i*di, (i+1)*di)},
 *       the last frame {@code [(T-1)*di, N)}. Note: {@code i*(N/T)}, not {@code i*N/T}: with N = 11, T = 3 the frames
 *       hold 3, 3 and 5 events.</li>
 *   <li>{@link SplitBy#TIME}: {@code dt = (t[N-1] - t[0]) / T} (integer division of microseconds), window i is
 *       {@code [t[0] + i*dt, t[0] + (i+1)*dt)}; frame i covers from the first to the last index whose time is in its
 *       window, and the last frame runs to N (so it also takes the events at and after {@code t[0] + T*dt}).</li>
 * </ul>
 * Where SpikingJelly fails (an empty time window raises IndexError), this class gives an empty frame; an empty
 * last window starts the last frame at the first later event. Channel 0 counts polarity 0, channel 1 any other
 * polarity (SpikingJelly: {@code p != 0}).
 *
 * <p>Resizing to {@code H' x W'} sums events into the scaled coordinate {@code x' = floor(x * W' / W)},
 * {@code y' = floor(y * H' / H)}: every event lands in exactly one output pixel, so counts stay integers and the
 * total is kept (down-sampling by an integer factor equals sum pooling). Coordinates outside the sensor are an
 * error, never clamped.
 */
public final class EventFrames {

    private EventFrames() {}

    /** The frames of {@code events} as {@code spec} says. */
    public static Frames integrate(EventStream events, FrameSpec spec) {
        int sensorH = events.height();
        int sensorW = events.width();
        int outH = spec.sensorSize() ? sensorH : spec.height();
        int outW = spec.sensorSize() ? sensorW : spec.width();
        int frames = spec.frames();
        int[][] seg = segments(events.t(), events.size(), spec.split(), frames);
        int plane = outH * outW;
        float[] out = new float[frames * Frames.CHANNELS * plane];
        short[] xs = events.x();
        short[] ys = events.y();
        byte[] ps = events.p();
        for (int f = 0; f < frames; f++) {
            int base = f * Frames.CHANNELS * plane;
            for (int e = seg[0][f]; e < seg[1][f]; e++) {
                int x = xs[e];
                int y = ys[e];
                if (x < 0 || x >= sensorW || y < 0 || y >= sensorH) {
                    throw new IllegalArgumentException("event " + e + " at (" + x + ", " + y + ") is outside the "
                            + sensorW + "x" + sensorH + " sensor");
                }
                int ox = (int) ((long) x * outW / sensorW);
                int oy = (int) ((long) y * outH / sensorH);
                int c = ps[e] != 0 ? 1 : 0;
                out[base + c * plane + oy * outW + ox] += 1f;
            }
        }
        return new Frames(out, frames, outH, outW);
    }

    /**
     * The event index segments {@code {j_l, j_r}} ({@code [2][frames]}) for the first {@code n} timestamps of
     * {@code t}, as described in the class comment.
     */
    public static int[][] segments(long[] t, int n, SplitBy split, int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be >= 1, got " + frames);
        }
        int[] jl = new int[frames];
        int[] jr = new int[frames];
        if (n == 0) {
            return new int[][] {jl, jr};
        }
        if (split == SplitBy.NUMBER) {
            int di = n / frames;
            for (int i = 0; i < frames; i++) {
                jl[i] = i * di;
                jr[i] = jl[i] + di;
            }
            jr[frames - 1] = n;
            return new int[][] {jl, jr};
        }
        return timeSegments(t, n, frames, jl, jr);
    }

    private static int[][] timeSegments(long[] t, int n, int frames, int[] jl, int[] jr) {
        long t0 = t[0];
        if (t[n - 1] < t0) {
            throw new IllegalArgumentException("the last timestamp " + t[n - 1] + " is before the first " + t0
                    + ": cannot split by time");
        }
        long dt = Math.floorDiv(t[n - 1] - t0, frames);
        // one pass: first and last index whose time falls in each window (SpikingJelly's mask, min and max)
        int[] first = new int[frames];
        int[] last = new int[frames];
        java.util.Arrays.fill(first, -1);
        int tailFirst = -1; // first index at or after the end of the last window
        for (int e = 0; e < n; e++) {
            long d = t[e] - t0;
            if (d < 0) {
                continue; // before the first event: in no window (SpikingJelly's mask excludes it too)
            }
            long w = dt == 0 ? frames : d / dt;
            if (w >= frames) {
                if (tailFirst < 0) {
                    tailFirst = e;
                }
                continue;
            }
            int k = (int) w;
            if (first[k] < 0) {
                first[k] = e;
            }
            last[k] = e;
        }
        int prevEnd = 0;
        for (int i = 0; i < frames; i++) {
            if (first[i] >= 0) {
                jl[i] = first[i];
                jr[i] = last[i] + 1;
            } else {
                jl[i] = prevEnd; // empty window: an empty frame where SpikingJelly would fail
                jr[i] = prevEnd;
            }
            prevEnd = jr[i];
        }
        if (first[frames - 1] < 0) {
            jl[frames - 1] = tailFirst >= 0 ? tailFirst : n;
        }
        jr[frames - 1] = n;
        return new int[][] {jl, jr};
    }
}
