package org.revbench.core.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageNetAugmentTest {

    /** An 8x8 crop fits images to round(8 / 0.875) = 9. */
    static final ImageNetAugment AUG = new ImageNetAugment(8, 0.5);

    /** 3 x 9 x 9, channel c pixel (y, x) = 100 c + 9 y + x. */
    static byte[] image() {
        byte[] b = new byte[3 * 81];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 81; i++) {
                b[c * 81 + i] = (byte) (100 * c + i);
            }
        }
        return b;
    }

    /** The u8 value behind an output of channel {@code c}. */
    static int raw(float v, int c) {
        return Math.round((v * ImageNetAugment.IMAGENET_STD[c] + ImageNetAugment.IMAGENET_MEAN[c]) * 255f);
    }

    @Test
    void fitsTo256ForA224CropAsTimm() {
        assertEquals(256, new ImageNetAugment(224, 0.5).fittedSize());
        assertEquals(9, AUG.fittedSize());
    }

    @Test
    void evaluationTakesTheCentredWindowNormalisedByImageNetsStatistics() {
        float[] x = AUG.eval(image(), 0);
        assertEquals(3 * 64, x.length);
        // (9 - 8) / 2 = 0: the window starts at (0, 0)
        assertEquals(0, raw(x[0], 0));
        assertEquals(9 * 7 + 7, raw(x[63], 0));
        assertEquals(100, raw(x[64], 1));
        assertEquals((0 / 255f - 0.485f) / 0.229f, x[0], 1e-6);
    }

    @Test
    void trainingWindowsCoverEveryOffsetAndFlip() {
        Set<String> seen = new HashSet<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            float[] x = AUG.train(image(), 0, r);
            int first = raw(x[0], 0);
            int second = raw(x[1], 0);
            boolean flipped = second < first;
            int dy = first / 9;
            int dx = (first % 9) - (flipped ? 7 : 0);
            assertTrue(dy >= 0 && dy <= 1 && dx >= 0 && dx <= 1, "offset " + dy + "," + dx);
            seen.add(dy + "," + dx + "," + flipped);
        }
        assertEquals(8, seen.size(), "two row offsets, two column offsets, flipped or not: " + seen);
    }

    @Test
    void refusesAnImageOfTheWrongSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AUG.eval(new byte[3 * 64], 0));
        assertTrue(e.getMessage().contains("3x9x9"), e.getMessage());
    }
}
