package org.revbench.core.nn;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;

/**
 * Produces a parameter's initial values on the Java side from a seeded generator, so that a network built
 * twice with the same seed has bit-identical weights in every dtype and on every engine (the ND4J reference
 * receives the same numbers).
 */
@FunctionalInterface
public interface Initializer {

    double[] values(Shape shape, Random random);

    static Initializer constant(double value) {
        return (shape, random) -> {
            double[] v = new double[Math.toIntExact(shape.size())];
            Arrays.fill(v, value);
            return v;
        };
    }

    /** Kaiming normal with fan-out and ReLU gain, torchvision's ResNet convolution init. */
    static Initializer kaimingNormalFanOut() {
        return (shape, random) -> {
            long fanOut = shape.get(0) * (shape.size() / (shape.get(0) * shape.get(1)));
            double std = Math.sqrt(2.0 / fanOut);
            double[] v = new double[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextGaussian() * std;
            }
            return v;
        };
    }

    /** PyTorch's default for Linear and Conv weights and biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    static Initializer uniformFanIn(long fanIn) {
        return (shape, random) -> {
            double bound = 1.0 / Math.sqrt(fanIn);
            double[] v = new double[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (2 * random.nextDouble() - 1) * bound;
            }
            return v;
        };
    }
}
