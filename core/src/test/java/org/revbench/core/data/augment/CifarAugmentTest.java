package org.revbench.core.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CifarAugmentTest {

    /** Identity normalisation for one channel: output = u (mean 0, std 1/255). */
    static final CifarAugment RAW = new CifarAugment(new float[] {0}, new float[] {1 / 255f}, 1, 0.5);

    /** 1 x 4 x 4 image with pixel values 1..16 row-major. */
    static byte[] ramp() {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) (i + 1);
        }
        return b;
    }

    static float[] rounded(float[] x) {
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.round(x[i]);
        }
        return r;
    }

    @Test
    void normalisationUsesThePapersMeanAndStd() {
        CifarAugment paper = CifarAugment.paper();
        byte[] img = new byte[3 * 2 * 2];
        Arrays.fill(img, 0, 4, (byte) 0);
        Arrays.fill(img, 4, 8, (byte) 255);
        Arrays.fill(img, 8, 12, (byte) 128);
        float[] x = paper.normalize(img, 0, 3, 2, 2);
        assertEquals((0 - 0.4914f) / 0.557f, x[0], 1e-6);
        assertEquals((1 - 0.4822f) / 0.549f, x[4], 1e-6);
        assertEquals((128 / 255f - 0.4465f) / 0.5534f, x[8], 1e-6);
        assertEquals(-0.88223, x[0], 1e-5);
        assertEquals(0.94317, x[4], 1e-5);
        assertThrows(IllegalArgumentException.class, () -> paper.normalize(new byte[4], 0, 1, 2, 2));
    }

    @Test
    void cropShiftsTheWindowAndPadsWithZeros() {
        // window offset (dy, dx) = (1, -1): out(y, x) = in(y + 1, x - 1)
        float[] x = rounded(RAW.cropFlipNormalize(ramp(), 0, 1, 4, 4, 1, -1, false));
        assertArrayEquals(new float[] {
            0, 5, 6, 7,
            0, 9, 10, 11,
            0, 13, 14, 15,
            0, 0, 0, 0}, x);
        // padded zeros are normalised like black pixels
        CifarAugment paper = CifarAugment.paper();
        float[] y = paper.cropFlipNormalize(new byte[3 * 16], 0, 3, 4, 4, 4, 4, false);
        assertEquals(-0.4914f / 0.557f, y[0], 1e-6);
    }

    @Test
    void flipMirrorsTheCroppedWindow() {
        float[] x = rounded(RAW.cropFlipNormalize(ramp(), 0, 1, 4, 4, 0, 0, true));
        assertArrayEquals(new float[] {4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13}, x);
        // crop then flip: out(y, x) = in(y + dy, 3 - x + dx)
        float[] z = rounded(RAW.cropFlipNormalize(ramp(), 0, 1, 4, 4, 0, 1, true));
        assertArrayEquals(new float[] {0, 4, 3, 2, 0, 8, 7, 6, 0, 12, 11, 10, 0, 16, 15, 14}, z);
    }

    @Test
    void drawsCropRowThenColumnThenFlipFromTheGeneratorAndRepeats() {
        CifarAugment aug = CifarAugment.paper();
        byte[] img = new byte[3 * 32 * 32];
        new SplittableRandom(5).nextBytes(img);
        Set<String> seen = new HashSet<>();
        int flips = 0;
        for (long seed = 0; seed < 2000; seed++) {
            float[] a = aug.apply(img, 0, 3, 32, 32, new SplittableRandom(seed));
            assertArrayEquals(a, aug.apply(img, 0, 3, 32, 32, new SplittableRandom(seed)), "same seed");
            SplittableRandom r = new SplittableRandom(seed);
            int i = r.nextInt(9);
            int j = r.nextInt(9);
            boolean flip = r.nextDouble() < 0.5;
            assertArrayEquals(aug.cropFlipNormalize(img, 0, 3, 32, 32, i - 4, j - 4, flip), a);
            seen.add(i + "," + j);
            flips += flip ? 1 : 0;
        }
        assertEquals(81, seen.size(), "every offset in [0, 8] x [0, 8]");
        assertTrue(flips > 900 && flips < 1100, "flips " + flips);
        assertFalse(Arrays.equals(aug.apply(img, 0, 3, 32, 32, new SplittableRandom(1)),
                aug.apply(img, 0, 3, 32, 32, new SplittableRandom(2))));
    }

    @Test
    void offsetSelectsTheImageInASet() {
        byte[] two = new byte[32];
        System.arraycopy(ramp(), 0, two, 16, 16);
        assertArrayEquals(rounded(RAW.normalize(ramp(), 0, 1, 4, 4)), rounded(RAW.normalize(two, 16, 1, 4, 4)));
    }
}
