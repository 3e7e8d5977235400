package org.revbench.core.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DvsAugmentTest {

    static final int T = 3;
    static final int H = 9;
    static final int W = 11;

    /** [T, 2, H, W] frames: plane k holds (k + 1) * (1 + pixel index % 7), so every plane is a multiple of plane 0. */
    static float[] frames() {
        float[] f = new float[T * 2 * H * W];
        for (int k = 0; k < T * 2; k++) {
            for (int i = 0; i < H * W; i++) {
                f[k * H * W + i] = (k + 1) * (1 + i % 7);
            }
        }
        return f;
    }

    static float at(float[] f, int plane, int y, int x) {
        return f[(plane * H + y) * W + x];
    }

    /** Every plane of {@code out} equals (k + 1) times plane 0: the op acted identically on all frames. */
    static void assertSameOnEveryPlane(float[] out) {
        for (int k = 1; k < T * 2; k++) {
            for (int i = 0; i < H * W; i++) {
                assertEquals((k + 1) * out[i], out[k * H * W + i], 1e-5, "plane " + k + " pixel " + i);
            }
        }
    }

    @Test
    void flipIsExact() {
        float[] f = frames();
        float[] g = DvsAugment.flipHorizontal(f, H, W);
        for (int k = 0; k < T * 2; k++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    assertEquals(at(f, k, y, W - 1 - x), at(g, k, y, x));
                }
            }
        }
        assertArrayEquals(f, DvsAugment.flipHorizontal(g, H, W));
    }

    @Test
    void translateIsAnExactShiftWithZerosComingIn() {
        float[] f = frames();
        float[] g = DvsAugment.translate(f, H, W, 3, -2);
        for (int k = 0; k < T * 2; k++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int sx = x - 3;
                    int sy = y + 2;
                    float expected = sx < 0 || sy >= H ? 0 : at(f, k, sy, sx);
                    assertEquals(expected, at(g, k, y, x));
                }
            }
        }
        assertArrayEquals(f, DvsAugment.translate(f, H, W, 0, 0));
    }

    @Test
    void rotateTurnsCounterClockwiseAboutTheCentre() {
        int n = 9; // odd square: the centre is a pixel, 90 degrees is exact
        float[] f = new float[n * n];
        f[4 * n + 7] = 5; // three pixels right of the centre (4, 4)
        float[] g = DvsAugment.rotate(f, n, n, 90);
        assertEquals(5, g[1 * n + 4], "right of centre goes above it (y points down)");
        assertEquals(5, sum(g));
        float[] back = DvsAugment.rotate(g, n, n, -90);
        assertArrayEquals(f, back);
        float[] full = frames();
        assertArrayEquals(full, DvsAugment.rotate(full, H, W, 0));
        float[] r = DvsAugment.rotate(full, H, W, 17);
        assertSameOnEveryPlane(r);
        for (float v : r) {
            assertEquals(Math.rint(v), v, "nearest neighbour keeps counts whole");
        }
    }

    @Test
    void shearMovesRowsByTheirDistanceFromTheCentre() {
        float[] f = frames();
        float[] g = DvsAugment.shearX(f, H, W, 0.5);
        int cy = (H - 1) / 2;
        for (int x = 0; x < W; x++) {
            assertEquals(at(f, 0, cy, x), at(g, 0, cy, x), "the centre row stays");
        }
        // row cy + 2: out(x) = in(x - 0.5 * 2) = in(x - 1)
        for (int x = 1; x < W; x++) {
            assertEquals(at(f, 0, cy + 2, x - 1), at(g, 0, cy + 2, x));
        }
        assertEquals(0, at(g, 0, cy + 2, 0));
        assertSameOnEveryPlane(g);
    }

    @Test
    void cutoutZeroesOneSquareInEveryPlane() {
        float[] f = frames();
        float[] g = DvsAugment.cutout(f, H, W, 2, 5, 3);
        for (int k = 0; k < T * 2; k++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean in = y >= 2 && y < 5 && x >= 5 && x < 8;
                    assertEquals(in ? 0 : at(f, k, y, x), at(g, k, y, x));
                }
            }
        }
    }

    @Test
    void oneRandomOperationRepeatsForASeedAndActsOnEveryFrameAlike() {
        DvsAugment aug = DvsAugment.paper();
        int h = 32;
        int w = 32;
        float[] f = new float[T * 2 * h * w];
        SplittableRandom fill = new SplittableRandom(1);
        for (int i = 0; i < f.length; i++) {
            f[i] = fill.nextInt(4);
        }
        float[] original = f.clone();
        Map<DvsAugment.Op, Integer> counts = new EnumMap<>(DvsAugment.Op.class);
        int flips = 0;
        for (long seed = 0; seed < 600; seed++) {
            DvsAugment.Result a = aug.applyTraced(f, h, w, new SplittableRandom(seed));
            DvsAugment.Result b = aug.applyTraced(f, h, w, new SplittableRandom(seed));
            assertArrayEquals(a.frames(), b.frames());
            assertEquals(a.op(), b.op());
            counts.merge(a.op(), 1, Integer::sum);
            flips += a.flipped() ? 1 : 0;
            double m = a.magnitude();
            switch (a.op()) {
                case SHEAR_X -> assertOnGrid(m, 0.3);
                case TRANSLATE_X, TRANSLATE_Y -> assertOnGrid(m, 5);
                case ROTATE -> assertOnGrid(m, 30);
                case CUTOUT -> assertTrue(m >= 1 && m <= Math.round(Math.sqrt(0.11 * h * w)), "side " + m);
                default -> assertEquals(0, m);
            }
            // replaying the recorded choice with the static ops gives the same frames
            float[] x = a.flipped() ? DvsAugment.flipHorizontal(f, h, w) : f;
            float[] expected = switch (a.op()) {
                case IDENTITY -> x;
                case SHEAR_X -> DvsAugment.shearX(x, h, w, Math.tan(m));
                case TRANSLATE_X -> DvsAugment.translate(x, h, w, (int) m, 0);
                case TRANSLATE_Y -> DvsAugment.translate(x, h, w, 0, (int) m);
                case ROTATE -> DvsAugment.rotate(x, h, w, m);
                case CUTOUT -> null;
            };
            if (expected != null) {
                assertArrayEquals(expected, a.frames(), a.op() + " " + m);
            } else {
                int zeroed = 0;
                for (int i = 0; i < h * w; i++) {
                    boolean allZero = true;
                    for (int k = 0; k < T * 2; k++) {
                        allZero &= a.frames()[k * h * w + i] == 0;
                    }
                    zeroed += allZero ? 1 : 0;
                }
                assertTrue(zeroed >= m * m, "cutout of side " + m + " zeroes " + zeroed + " pixels");
            }
        }
        assertArrayEquals(original, f, "the input is not changed");
        assertEquals(6, counts.size(), counts.toString());
        for (int c : counts.values()) {
            assertTrue(c > 60 && c < 140, counts.toString());
        }
        assertTrue(flips > 240 && flips < 360, "flips " + flips);
        assertNotEquals(0, counts.get(DvsAugment.Op.CUTOUT));
    }

    @Test
    void uniformMagnitudesWhenBinsAreZero() {
        DvsAugment aug = new DvsAugment(0, 0.3, 5, 30, 0.001, 0.11, 0);
        boolean offGrid = false;
        for (long seed = 0; seed < 200; seed++) {
            DvsAugment.Result r = aug.applyTraced(new float[2 * 8 * 8], 8, 8, new SplittableRandom(seed));
            assertTrue(!r.flipped());
            if (r.op() == DvsAugment.Op.ROTATE) {
                assertTrue(Math.abs(r.magnitude()) <= 30);
                offGrid |= Math.abs(r.magnitude() / 2 - Math.rint(r.magnitude() / 2)) > 1e-9;
            }
        }
        assertTrue(offGrid, "continuous magnitudes leave the 2-degree grid");
    }

    /** On linspace(-max, max, 31), possibly negated. */
    static void assertOnGrid(double m, double max) {
        double bin = (m + max) / (2 * max) * 30;
        assertEquals(Math.rint(bin), bin, 1e-9, m + " is not on the 31-value grid of " + max);
        assertTrue(Math.abs(m) <= max + 1e-12);
    }

    static float sum(float[] x) {
        float s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }
}
