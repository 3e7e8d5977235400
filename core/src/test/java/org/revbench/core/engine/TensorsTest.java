package org.revbench.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Doubles become float32 in Java exactly as libtorch's own conversion makes them (round to nearest, ties to even). */
class TensorsTest extends EngineTestBase {

    @Test
    void float32FromDoublesRoundsAsLibtorchDoes() {
        SplittableRandom r = new SplittableRandom(3);
        double[] v = new double[20_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (i % 4) {
                case 0 -> r.nextGaussian() * 0.02;
                case 1 -> r.nextGaussian() * Math.pow(2, r.nextInt(-160, 140)); // float32 subnormals and overflow
                case 2 -> Math.nextUp((double) (float) r.nextGaussian()); // just off a float
                default -> (double) (float) r.nextGaussian() + Math.ulp((float) r.nextGaussian()) / 2; // near a tie
            };
        }
        v[0] = 0x1.000001p0; // exactly halfway between two floats: ties to even
        v[1] = -0.0;
        try (NDManager m = manager.newSubManager()) {
            NDArray ours = Tensors.fromDoubles(m, v, new Shape(v.length), DataType.FLOAT32);
            NDArray theirs;
            try (NDArray blob = m.create(v, new Shape(v.length))) {
                theirs = blob.toType(DataType.FLOAT32, true);
            }
            assertEquals(DataType.FLOAT32, ours.getDataType());
            float[] a = ours.toFloatArray();
            float[] b = theirs.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(Float.floatToRawIntBits(b[i]), Float.floatToRawIntBits(a[i]), "element " + i + ": " + v[i]);
            }
        }
    }
}
