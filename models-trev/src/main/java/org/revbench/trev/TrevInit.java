package org.revbench.trev;

import org.revbench.core.nn.Initializer;

/**
 * The public code's initialisation ({@code FullNet._init_weights}): every convolution weight, weight-standardised or
 * not, from timm's {@code trunc_normal_(std=0.02)} and every convolution bias 0; BatchNorm weight 1 and bias 0 (core's
 * {@link org.revbench.core.nn.BatchNorm2d} default); weight-standardisation gains 1 (timm's {@code gain_init}).
 */
final class TrevInit {

    /** The weights' standard deviation. */
    static final double STD = 0.02;

    private TrevInit() {}

    /**
     * timm's {@code trunc_normal_(std=0.02)}: its cut-off is at the absolute values -2 and 2, 100 standard deviations
     * out, so it never truncates in practice; draws beyond it are redrawn all the same.
     */
    static Initializer truncatedNormal() {
        return (shape, random) -> {
            double[] v = new double[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                double d;
                do {
                    d = random.nextGaussian() * STD;
                } while (d < -2 || d > 2);
                v[i] = d;
            }
            return v;
        };
    }
}
