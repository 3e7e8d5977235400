package org.revbench.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch operations that DJL's public API offers only in a less exact form. Here, as everywhere the engine's own
 * classes are touched, so that layers stay on DJL's {@code NDArray}.
 */
public final class Ops {

    private Ops() {}

    /**
     * libtorch's {@code layer_norm} over the trailing {@code normalizedShape}, with {@code eps} passed as a double: DJL's
     * {@code LayerNorm.layerNorm} takes a float {@code eps}, which rounds 1e-6 to 9.99999997e-7 and moves a float64
     * result by about 3e-12 relative. {@code gamma} and {@code beta} have {@code normalizedShape}. Recorded when
     * recording is on.
     */
    public static NDArray layerNorm(NDArray x, Shape normalizedShape, NDArray gamma, NDArray beta, double eps) {
        return JniUtils.layerNorm((PtNDArray) x, normalizedShape, (PtNDArray) gamma, (PtNDArray) beta, eps);
    }

    /**
     * A 2-D convolution of {@code [N, C, H, W]} with square stride and padding, dilation 1; {@code bias} may be null.
     * Every model's convolutions run through here, so that a {@link ConvolutionCensus} open on this thread counts
     * them (one thread-local read per call when none is).
     */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        ConvolutionCensus.note(x, weight, bias, stride, padding, groups);
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), groups).singletonOrThrow();
    }
}
