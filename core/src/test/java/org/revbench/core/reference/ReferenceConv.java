package org.revbench.core.reference;

import java.util.Arrays;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Float64 convolution and training-mode batch normalisation on 4D {@code [N, C, H, W]} arrays (PyTorch layouts
 * and semantics). For {@code [T, B, C, H, W]} use {@link ReferenceMultiStep#fold}.
 */
public final class ReferenceConv {

    /** PyTorch's BatchNorm default eps. */
    public static final double BN_EPS = 1e-5;

    private ReferenceConv() {}

    /**
     * 2D cross-correlation as PyTorch's {@code conv2d}: zero padding {@code padding} on each side of H and W,
     * the same {@code stride} in H and W, no dilation, no groups.
     *
     * @param x      {@code [N, C, H, W]}, float64
     * @param w      {@code [O, C, kh, kw]} (PyTorch OIHW), float64
     * @param bias   {@code [O]} or {@code null}
     * @return {@code [N, O, (H + 2p - kh) / s + 1, (W + 2p - kw) / s + 1]}
     */
    public static INDArray conv2d(INDArray x, INDArray w, INDArray bias, int stride, int padding) {
        ReferenceArrays.requireDouble(x, "x");
        ReferenceArrays.requireDouble(w, "w");
        if (x.rank() != 4 || w.rank() != 4 || x.size(1) != w.size(1)) {
            throw new IllegalArgumentException("conv2d needs x [N,C,H,W] and w [O,C,kh,kw], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException("stride " + stride + ", padding " + padding);
        }
        Conv2DConfig cfg = Conv2DConfig.builder()
                .kH(w.size(2)).kW(w.size(3))
                .sH(stride).sW(stride)
                .pH(padding).pW(padding)
                .dH(1).dW(1)
                .paddingMode(PaddingMode.VALID) // VALID = use the explicit pH/pW above
                .dataFormat("NCHW")
                .weightsFormat(WeightsFormat.OIYX)
                .build();
        INDArray xc = x.dup('c');
        INDArray wc = w.dup('c');
        if (bias == null) {
            return Nd4j.cnn().conv2d(xc, wc, cfg);
        }
        ReferenceArrays.requireDouble(bias, "bias");
        return Nd4j.cnn().conv2d(xc, wc, bias.dup('c').reshape(w.size(0)), cfg);
    }

    /**
     * Training-mode batch norm (PyTorch forward with {@code training=True}): per channel, mean and biased
     * variance over N, H, W of this batch; {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}.
     * Running statistics are not modelled.
     *
     * @param x     {@code [N, C, H, W]}, float64
     * @param gamma {@code [C]}
     * @param beta  {@code [C]}
     */
    public static INDArray batchNormTrain(INDArray x, INDArray gamma, INDArray beta, double eps) {
        ReferenceArrays.requireDouble(x, "x");
        ReferenceArrays.requireDouble(gamma, "gamma");
        ReferenceArrays.requireDouble(beta, "beta");
        long c = x.size(1);
        if (x.rank() != 4 || gamma.length() != c || beta.length() != c) {
            throw new IllegalArgumentException("batchNormTrain needs x [N,C,H,W], gamma [C], beta [C], got "
                    + Arrays.toString(x.shape()) + ", " + gamma.length() + ", " + beta.length());
        }
        long[] shape = x.shape();
        INDArray mean = x.mean(0, 2, 3).reshape(1, c, 1, 1).broadcast(shape);
        INDArray centred = x.sub(mean);
        // two-pass biased variance: mean of squared deviations (divides by N*H*W)
        INDArray var = centred.mul(centred).mean(0, 2, 3);
        INDArray scale = Transforms.sqrt(var.add(eps), true).rdiv(1.0).mul(gamma.reshape(c));
        INDArray scaleB = scale.reshape(1, c, 1, 1).broadcast(shape);
        INDArray betaB = beta.dup('c').reshape(1, c, 1, 1).broadcast(shape);
        return centred.mul(scaleB).add(betaB);
    }

    /** {@link #batchNormTrain(INDArray, INDArray, INDArray, double)} with eps 1e-5. */
    public static INDArray batchNormTrain(INDArray x, INDArray gamma, INDArray beta) {
        return batchNormTrain(x, gamma, beta, BN_EPS);
    }
}
