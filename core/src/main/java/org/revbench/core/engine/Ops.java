package org.revbench.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
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
        long in = x.getShape().get(1);
        long out = weight.getShape().get(0);
        if (groups == 1 && weight.getShape().get(2) > 1 && in >= CHANNEL_BLOCK && !x.getDevice().isGpu()
                && (in % CHANNEL_BLOCK != 0 || out % CHANNEL_BLOCK != 0)) {
            java.util.List<NDArray> padded = new java.util.ArrayList<>();
            try {
                NDArray xp = x;
                NDArray wp = weight;
                NDArray bp = bias;
                if (block(in) != in) {
                    padded.add(xp = zeroPadded(x, 1, block(in)));
                    padded.add(wp = zeroPadded(wp, 1, block(in)));
                }
                if (block(out) != out) {
                    padded.add(wp = zeroPadded(wp, 0, block(out)));
                    if (bp != null) {
                        padded.add(bp = zeroPadded(bp, 0, block(out)));
                    }
                }
                NDArray yp = convolve(xp, wp, bp, stride, padding, groups);
                if (block(out) == out) {
                    return yp;
                }
                try (yp) {
                    return yp.get(new NDIndex(":, :{}", out)); // a view: libtorch keeps the storage
                }
            } finally {
                padded.forEach(NDArray::close);
            }
        }
        return convolve(x, weight, bias, stride, padding, groups);
    }

    /**
     * The channel block of oneDNN's AVX-512 layouts. libtorch 2.7.1's CPU convolutions (oneDNN) with a kernel over 1x1
     * and input or output channels that are not a multiple of it read the block's padding channels without zeroing
     * them: with an allocator that hands back freed memory (tcmalloc always, glibc at times) the output was NaN
     * wherever that memory held NaN, and the input gradient wrong (T-RevSNN-tiny at T 2: 88 and 176 channels; 44, 100
     * and 206 in isolation). Under 16 input channels (the stems' 2 or 3) oneDNN takes a plain layout and was exact (2,
     * 3, 8 and 12 checked against float64), so those are left as they are, and so are a GPU's convolutions (not
     * oneDNN's). Zero channels added here (input channels of the input and weight, output channels of the weight and
     * bias, sliced off the output) leave oneDNN nothing to pad; they add exact zeros to every sum, and the
     * concatenations' and the slice's backward cut their gradients off (OpsTest).
     */
    static final long CHANNEL_BLOCK = 16;

    private static long block(long channels) {
        return (channels + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK;
    }

    /** {@code a} with zeros appended along {@code axis} up to {@code to} (recorded, as a concatenation). */
    private static NDArray zeroPadded(NDArray a, int axis, long to) {
        long[] dims = a.getShape().getShape().clone();
        dims[axis] = to - dims[axis];
        try (NDArray zeros = a.getManager().zeros(new Shape(dims), a.getDataType())) {
            return a.concat(zeros, axis);
        }
    }

    private static NDArray convolve(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), groups).singletonOrThrow();
    }
}
