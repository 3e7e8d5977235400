package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.nn.Parameter;

/** Small T-RevSNN configurations and helpers shared by the module's tests. */
final class TrevTesting {

    /** Widths small enough for float64 gradient checks in well under a second. */
    static final int[] SMALL_WIDTHS = {4, 8, 12, 16};
    static final int CLASSES = 5;

    private TrevTesting() {}

    static ModelOptions options(int timesteps, DataType dtype, long seed) {
        return new ModelOptions(CLASSES, timesteps, dtype, seed, Map.of());
    }

    /** A static-image network on 3x32x32 (stem output 8x8; stages 8, 4, 2, 2). */
    static TrevNetwork image(NDManager m, TrevSpec spec, int timesteps, DataType dtype, long seed) {
        TrevNetwork n = TrevNetwork.build("trev-test", options(timesteps, dtype, seed), new InputSpec(3, 32, 32, false), spec, m);
        perturb(n, seed);
        return n;
    }

    /** An event network on 2x16x16 frames (stem output 16x16; stages 16, 8, 4, 4). */
    static TrevNetwork events(NDManager m, TrevSpec spec, int timesteps, DataType dtype, long seed) {
        TrevNetwork n = TrevNetwork.build("trev-test-dvs", options(timesteps, dtype, seed), new InputSpec(2, 16, 16, true), spec, m);
        perturb(n, seed);
        return n;
    }

    /**
     * Moves the parameters that start at constants away from them (decays {@code a_l} to 0.3-0.9 with some negative,
     * gammas, gains, biases, BN affine) and widens the depth-wise kernels, so that a gradient test exercises every
     * path with generic values.
     */
    static void perturb(TrevNetwork n, long seed) {
        Random r = new Random(seed + 99);
        for (Parameter p : n.parameters()) {
            if (!p.trainable()) {
                continue;
            }
            double[] v = new double[(int) p.size()];
            switch (p.name()) {
                case "alpha" -> {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (r.nextDouble() < 0.2 ? -1 : 1) * (0.3 + 0.6 * r.nextDouble());
                    }
                }
                case "gamma", "gain" -> {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = 1 + 0.3 * r.nextGaussian();
                    }
                }
                case "bias", "beta" -> {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = 0.1 * r.nextGaussian();
                    }
                }
                case "weight" -> {
                    // depth-wise kernels [C, 1, k, k]: the public code's init (std 0.02, not standardised) leaves the
                    // block's hidden spikes silent, so the point-wise 4C -> C convolution would get no gradient
                    if (p.shape().dimension() != 4 || p.shape().get(1) != 1 || p.shape().get(2) == 1) {
                        continue;
                    }
                    for (int i = 0; i < v.length; i++) {
                        v[i] = 0.4 * r.nextGaussian();
                    }
                }
                default -> {
                    continue;
                }
            }
            p.setValues(v);
        }
    }

    static NDArray gaussian(NDManager m, long seed, double mean, double std, DataType dtype, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * r.nextGaussian();
        }
        return Tensors.fromDoubles(m, v, new Shape(shape), dtype);
    }

    static NDArray labels(NDManager m, long seed, int batch) {
        Random r = new Random(seed);
        long[] l = new long[batch];
        for (int i = 0; i < batch; i++) {
            l[i] = r.nextInt(CLASSES);
        }
        return Tensors.fromLongs(m, l, new Shape(batch));
    }
}
