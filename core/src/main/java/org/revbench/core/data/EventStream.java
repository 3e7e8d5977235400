package org.revbench.core.data;

import java.util.Arrays;

/**
 * A stream of DVS events as parallel arrays (timestamps in microseconds, non-decreasing as recorded; coordinates;
 * polarity 0 or 1) on a sensor of {@code width x height}. Structure of arrays: tens of millions of events stay
 * compact and parse without per-event objects.
 */
public record EventStream(long[] t, short[] x, short[] y, byte[] p, int size, int width, int height) {

    public EventStream {
        if (t.length < size || x.length < size || y.length < size || p.length < size) {
            throw new IllegalArgumentException("event arrays shorter than size " + size);
        }
    }

    /** The events {@code [from, to)} as a new stream (copies). */
    public EventStream slice(int from, int to) {
        return new EventStream(Arrays.copyOfRange(t, from, to), Arrays.copyOfRange(x, from, to),
                Arrays.copyOfRange(y, from, to), Arrays.copyOfRange(p, from, to), to - from, width, height);
    }

    /**
     * The same events declared on a sensor of {@code w x h}: to embed a smaller recording in a format's fixed
     * address space (AEDAT's 128x128), or to crop back to the region a recording really used. An event outside the
     * new sensor is an error, never silently dropped.
     */
    public EventStream withSensor(int w, int h) {
        for (int i = 0; i < size; i++) {
            if (x[i] < 0 || x[i] >= w || y[i] < 0 || y[i] >= h) {
                throw new IllegalArgumentException("event " + i + " at (" + x[i] + ", " + y[i] + ") lies outside a "
                        + w + "x" + h + " sensor");
            }
        }
        return new EventStream(t, x, y, p, size, w, h);
    }

    /** Arrays trimmed to {@code size} (for equality checks and storage). */
    public EventStream trimmed() {
        return size == t.length ? this : slice(0, size);
    }

    /** Equal events and sensor size (the record's own equals compares array identity). */
    public boolean sameEvents(EventStream o) {
        EventStream a = trimmed();
        EventStream b = o.trimmed();
        return a.width == b.width && a.height == b.height && Arrays.equals(a.t, b.t) && Arrays.equals(a.x, b.x)
                && Arrays.equals(a.y, b.y) && Arrays.equals(a.p, b.p);
    }

    /** Growable builder used by the readers. */
    public static final class Builder {
        private long[] t = new long[1024];
        private short[] x = new short[1024];
        private short[] y = new short[1024];
        private byte[] p = new byte[1024];
        private int n;
        private final int width;
        private final int height;

        public Builder(int width, int height) {
            this.width = width;
            this.height = height;
        }

        /** Reserves room for {@code more} events (readers know packet sizes in advance). */
        public void ensure(int more) {
            int need = n + more;
            if (need > t.length) {
                int cap = Math.max(need, t.length * 2);
                t = Arrays.copyOf(t, cap);
                x = Arrays.copyOf(x, cap);
                y = Arrays.copyOf(y, cap);
                p = Arrays.copyOf(p, cap);
            }
        }

        public void add(long time, int ex, int ey, int polarity) {
            if (n == t.length) {
                ensure(1);
            }
            t[n] = time;
            x[n] = (short) ex;
            y[n] = (short) ey;
            p[n] = (byte) polarity;
            n++;
        }

        public int size() { return n; }

        public EventStream build() { return new EventStream(t, x, y, p, n, width, height); }
    }
}
