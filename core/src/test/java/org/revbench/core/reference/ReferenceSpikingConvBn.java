package org.revbench.core.reference;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code F(x) = BN(conv3x3(IF(x)))} over {@code [T, B, C, H, W]} in float64: an IF neuron (threshold 1.0,
 * fresh state each call, hard reset to 0), a 3x3 convolution with stride 1, padding 1 and no bias, and
 * training-mode BatchNorm (batch statistics over T*B*H*W, biased variance, eps 1e-5, given gamma/beta).
 * Conv and BN are folded over {@code [T*B, ...]} ({@link ReferenceMultiStep#fold}).
 *
 * <p>Deterministic and stateless: calling it twice on the same input gives the same output, which is what the
 * reversible inverse relies on.
 */
public final class ReferenceSpikingConvBn implements UnaryOperator<INDArray> {

    private final INDArray weight; // [O, C, 3, 3]
    private final INDArray gamma; // [O]
    private final INDArray beta; // [O]
    private final double eps;

    /** From float64 arrays: weight {@code [O, C, 3, 3]}, gamma and beta of length O; eps 1e-5. */
    public ReferenceSpikingConvBn(INDArray weight, INDArray gamma, INDArray beta) {
        this(weight, gamma, beta, ReferenceConv.BN_EPS);
    }

    /** As {@link #ReferenceSpikingConvBn(INDArray, INDArray, INDArray)} with a BatchNorm eps. */
    public ReferenceSpikingConvBn(INDArray weight, INDArray gamma, INDArray beta, double eps) {
        ReferenceArrays.requireDouble(weight, "weight");
        ReferenceArrays.requireDouble(gamma, "gamma");
        ReferenceArrays.requireDouble(beta, "beta");
        if (weight.rank() != 4 || weight.size(2) != 3 || weight.size(3) != 3) {
            throw new IllegalArgumentException("weight must be [O, C, 3, 3], got " + Arrays.toString(weight.shape()));
        }
        long o = weight.size(0);
        if (gamma.length() != o || beta.length() != o) {
            throw new IllegalArgumentException("gamma/beta must have " + o + " values");
        }
        this.weight = weight.dup('c');
        this.gamma = gamma.dup('c').reshape(o);
        this.beta = beta.dup('c').reshape(o);
        this.eps = eps;
    }

    /**
     * From plain row-major arrays, the exchange format with the DJL implementation.
     *
     * @param convWeight  row-major values of the conv weight
     * @param shape       its shape {@code {O, C, 3, 3}} (PyTorch OIHW)
     * @param gamma       BN scale, length O
     * @param beta        BN shift, length O
     */
    public static ReferenceSpikingConvBn of(double[] convWeight, long[] shape, double[] gamma, double[] beta) {
        return new ReferenceSpikingConvBn(ReferenceArrays.fromDoubles(convWeight, shape),
                ReferenceArrays.fromDoubles(gamma, gamma.length),
                ReferenceArrays.fromDoubles(beta, beta.length));
    }

    /**
     * Seeded random parameters for tests: conv weight N(0, sqrt(2 / (9 C))), gamma N(1, 0.1), beta N(0, 0.1),
     * each from its own {@link java.util.Random} (seeds {@code seed}, {@code seed+1}, {@code seed+2}).
     */
    public static ReferenceSpikingConvBn random(long seed, int channelsIn, int channelsOut) {
        long[] shape = {channelsOut, channelsIn, 3, 3};
        double std = Math.sqrt(2.0 / (9.0 * channelsIn));
        return of(ReferenceArrays.gaussian(seed, Math.toIntExact(ReferenceArrays.numel(shape)), 0.0, std), shape,
                ReferenceArrays.gaussian(seed + 1, channelsOut, 1.0, 0.1),
                ReferenceArrays.gaussian(seed + 2, channelsOut, 0.0, 0.1));
    }

    /** {@code x [T, B, C, H, W]} -> {@code [T, B, O, H, W]}. */
    @Override
    public INDArray apply(INDArray x) {
        if (x.rank() != 5 || x.size(2) != weight.size(1)) {
            throw new IllegalArgumentException("expected [T, B, " + weight.size(1) + ", H, W], got "
                    + Arrays.toString(x.shape()));
        }
        INDArray spikes = ReferenceNeurons.ifNeuron(x).spikes();
        return ReferenceMultiStep.fold(spikes,
                s -> ReferenceConv.batchNormTrain(ReferenceConv.conv2d(s, weight, null, 1, 1), gamma, beta, eps));
    }

    /** Copies of the parameters, row-major: weight {@code [O, C, 3, 3]}. */
    public double[] weightValues() {
        return ReferenceArrays.toDoubles(weight);
    }

    public long[] weightShape() {
        return weight.shape().clone();
    }

    public double[] gammaValues() {
        return ReferenceArrays.toDoubles(gamma);
    }

    public double[] betaValues() {
        return ReferenceArrays.toDoubles(beta);
    }

    public double eps() {
        return eps;
    }
}
