package org.revbench.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The initialisation generator draws exactly what java.util.Random draws from the same seed, in any mix of calls. */
class InitRandomTest {

    @Test
    void everyDrawIsJavaUtilRandomsBitForBit() {
        for (long seed : new long[] {0, 1, 7, 2020, -3, Long.MAX_VALUE}) {
            Random expected = new Random(seed);
            Random actual = new InitRandom(seed);
            for (int i = 0; i < 200_000; i++) {
                assertEquals(Double.doubleToRawLongBits(expected.nextGaussian()),
                        Double.doubleToRawLongBits(actual.nextGaussian()), "seed " + seed + ", Gaussian " + i);
                switch (i % 5) {
                    case 0 -> assertEquals(expected.nextDouble(), actual.nextDouble(), 0.0);
                    case 1 -> assertEquals(expected.nextInt(1000), actual.nextInt(1000));
                    case 2 -> assertEquals(expected.nextLong(), actual.nextLong());
                    case 3 -> assertEquals(expected.nextFloat(), actual.nextFloat(), 0.0f);
                    default -> assertEquals(expected.nextBoolean(), actual.nextBoolean());
                }
            }
            expected.setSeed(seed + 1);
            actual.setSeed(seed + 1);
            assertEquals(expected.nextGaussian(), actual.nextGaussian(), 0.0, "after setSeed");
        }
    }
}
