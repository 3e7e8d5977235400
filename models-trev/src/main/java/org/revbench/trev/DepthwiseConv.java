package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.engine.Ops;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Initializer;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Parameter;

/**
 * A depth-wise {@code k x k} convolution with bias, stride 1 and "same" padding {@code k/2} (the public code's plain
 * {@code nn.Conv2d(C, C, k, groups=C)} in the blocks; not weight-standardised there). Weight from
 * {@code trunc_normal_(std=0.02)}, bias 0 ({@link TrevInit}).
 */
public final class DepthwiseConv extends Layer {

    private final int channels;
    private final int kernel;
    private final Parameter weight;
    private final Parameter bias;

    public DepthwiseConv(int channels, int kernel) {
        if (kernel % 2 != 1) {
            throw new IllegalArgumentException("a 'same' depth-wise convolution needs an odd kernel, got " + kernel);
        }
        this.channels = channels;
        this.kernel = kernel;
        weight = addParameter(new Parameter("weight", new Shape(channels, 1, kernel, kernel), true, TrevInit.truncatedNormal()));
        bias = addParameter(new Parameter("bias", new Shape(channels), true, Initializer.constant(0)));
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray y = Ops.conv2d(x, weight.array(), bias.array(), 1, kernel / 2, channels);
        ConvStatistics.record(ctx, path(), "dwconv" + kernel + "x" + kernel, x, y, 1, kernel, ownTrainableCount());
        return y;
    }
}
