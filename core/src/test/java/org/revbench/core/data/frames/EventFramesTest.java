package org.revbench.core.data.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.revbench.core.data.EventStream;

class EventFramesTest {

    /** Events at the given times, each at pixel (i % w, i / w % h) with polarity i % 2. */
    static EventStream stream(long[] times, int w, int h) {
        EventStream.Builder b = new EventStream.Builder(w, h);
        for (int i = 0; i < times.length; i++) {
            b.add(times[i], i % w, (i / w) % h, i % 2);
        }
        return b.build();
    }

    static long[] range(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = 10L * i;
        }
        return t;
    }

    static double[] frameTotals(Frames f) {
        double[] out = new double[f.frames()];
        for (int t = 0; t < f.frames(); t++) {
            out[t] = f.frameTotal(t);
        }
        return out;
    }

    @Test
    void byNumberUsesIntegerDivisionOfNAndTheLastFrameTakesTheRest() {
        // N = 11, T = 3: di = 3, so [0,3) [3,6) [6,11): 3, 3, 5 (not 3, 4, 4 as i*N/T would give)
        int[][] seg = EventFrames.segments(range(11), 11, SplitBy.NUMBER, 3);
        assertArrayEquals(new int[] {0, 3, 6}, seg[0]);
        assertArrayEquals(new int[] {3, 6, 11}, seg[1]);
        Frames f = EventFrames.integrate(stream(range(11), 4, 4), FrameSpec.of(3, SplitBy.NUMBER));
        assertArrayEquals(new double[] {3, 3, 5}, frameTotals(f));
        assertArrayEquals(new long[] {3, 2, 4, 4}, f.shape());
        // event 0: (0,0) p0 and event 1: (1,0) p1 and event 2: (2,0) p0 are frame 0
        assertEquals(1f, f.get(0, 0, 0, 0));
        assertEquals(1f, f.get(0, 1, 0, 1));
        assertEquals(1f, f.get(0, 0, 0, 2));
        assertEquals(0f, f.get(0, 1, 0, 0));
        // events 6..10 are frame 2: event 7 at (3,1) p1, event 10 at (2,2) p0
        assertEquals(1f, f.get(2, 1, 1, 3));
        assertEquals(1f, f.get(2, 0, 2, 2));
        assertEquals(0f, f.get(1, 1, 1, 3));
    }

    @Test
    void byNumberEvenSplitAndFewerEventsThanFrames() {
        Frames even = EventFrames.integrate(stream(range(12), 4, 4), FrameSpec.of(4, SplitBy.NUMBER));
        assertArrayEquals(new double[] {3, 3, 3, 3}, frameTotals(even));
        Frames few = EventFrames.integrate(stream(range(2), 4, 4), FrameSpec.of(3, SplitBy.NUMBER));
        assertArrayEquals(new double[] {0, 0, 2}, frameTotals(few), "di = 0: all events in the last frame");
    }

    @Test
    void repeatedEventsAtOnePixelAreAllCounted() {
        EventStream.Builder b = new EventStream.Builder(2, 2);
        for (int i = 0; i < 5; i++) {
            b.add(i, 1, 1, 1);
        }
        Frames f = EventFrames.integrate(b.build(), FrameSpec.of(1, SplitBy.NUMBER));
        assertEquals(5f, f.get(0, 1, 1, 1));
    }

    @Test
    void byTimeUsesEqualWindowsFromTheFirstTimestampAndTheLastFrameRunsToTheEnd() {
        // dt = (100 - 0) / 3 = 33: windows [0,33) [33,66) [66,99), the event at 100 goes to the last frame
        long[] t = {0, 10, 20, 25, 30, 59, 60, 61, 89, 90, 100};
        int[][] seg = EventFrames.segments(t, t.length, SplitBy.TIME, 3);
        assertArrayEquals(new int[] {0, 5, 8}, seg[0]);
        assertArrayEquals(new int[] {5, 8, 11}, seg[1]);
        Frames f = EventFrames.integrate(stream(t, 4, 4), FrameSpec.of(3, SplitBy.TIME));
        assertArrayEquals(new double[] {5, 3, 3}, frameTotals(f));
    }

    @Test
    void byTimeBoundaryEventBelongsToTheLaterWindow() {
        long[] t = {100, 132, 133, 165, 166, 199};
        // dt = 99 / 3 = 33: [100,133) [133,166) [166,199) and the tail
        int[][] seg = EventFrames.segments(t, t.length, SplitBy.TIME, 3);
        assertArrayEquals(new int[] {0, 2, 4}, seg[0]);
        assertArrayEquals(new int[] {2, 4, 6}, seg[1]);
    }

    @Test
    void byTimeEmptyWindowsGiveEmptyFrames() {
        // SpikingJelly raises IndexError here; this gives [3 events, 0, 1 (the tail event at 100)]
        long[] t = {0, 1, 2, 100};
        Frames f = EventFrames.integrate(stream(t, 4, 4), FrameSpec.of(3, SplitBy.TIME));
        assertArrayEquals(new double[] {3, 0, 1}, frameTotals(f));
        // all events at one time: dt = 0, everything lands in the last frame
        Frames same = EventFrames.integrate(stream(new long[] {5, 5, 5}, 4, 4), FrameSpec.of(2, SplitBy.TIME));
        assertArrayEquals(new double[] {0, 3}, frameTotals(same));
    }

    @Test
    void emptyStreamGivesZeroFrames() {
        Frames f = EventFrames.integrate(new EventStream.Builder(8, 6).build(), FrameSpec.of(4, SplitBy.TIME));
        assertArrayEquals(new long[] {4, 2, 6, 8}, f.shape());
        assertEquals(0, f.total());
    }

    @Test
    void resizeSumsEventsIntoTheScaledCoordinateAndKeepsTheTotal() {
        SplittableRandom r = new SplittableRandom(3);
        EventStream.Builder b = new EventStream.Builder(128, 128);
        for (int i = 0; i < 20_000; i++) {
            b.add(i, r.nextInt(128), r.nextInt(128), r.nextInt(2));
        }
        EventStream s = b.build();
        Frames full = EventFrames.integrate(s, FrameSpec.of(5, SplitBy.NUMBER));
        Frames small = EventFrames.integrate(s, FrameSpec.of(5, SplitBy.NUMBER, 48, 48));
        assertEquals(20_000, full.total());
        assertEquals(20_000, small.total());
        for (int t = 0; t < 5; t++) {
            assertEquals(full.frameTotal(t), small.frameTotal(t));
        }
        // by a factor of 2 it is sum pooling
        Frames half = EventFrames.integrate(s, FrameSpec.of(5, SplitBy.NUMBER, 64, 64));
        for (int t = 0; t < 5; t += 2) {
            for (int p = 0; p < 2; p++) {
                for (int y = 0; y < 64; y += 7) {
                    for (int x = 0; x < 64; x += 5) {
                        float sum = full.get(t, p, 2 * y, 2 * x) + full.get(t, p, 2 * y + 1, 2 * x)
                                + full.get(t, p, 2 * y, 2 * x + 1) + full.get(t, p, 2 * y + 1, 2 * x + 1);
                        assertEquals(sum, half.get(t, p, y, x));
                    }
                }
            }
        }
    }

    @Test
    void eventsOutsideTheSensorAreAnError() {
        EventStream.Builder b = new EventStream.Builder(4, 4);
        b.add(0, 1, 1, 0);
        b.add(1, 4, 1, 0);
        assertThrows(IllegalArgumentException.class,
                () -> EventFrames.integrate(b.build(), FrameSpec.of(1, SplitBy.NUMBER)));
    }
}
