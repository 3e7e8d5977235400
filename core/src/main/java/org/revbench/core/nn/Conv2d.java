package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.engine.Ops;

/** 2-D convolution over {@code [N,C,H,W]} or time-folded {@code [T,B,C,H,W]}. */
public final class Conv2d extends Layer {

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;

    public Conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias, Initializer init) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("channels " + in + "->" + out + " not divisible by groups " + groups);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        this.weight = addParameter(new Parameter("weight", new Shape(out, in / groups, kernel, kernel), true, init));
        this.bias = bias
                ? addParameter(new Parameter("bias", new Shape(out), true, Initializer.uniformFanIn((long) in / groups * kernel * kernel)))
                : null;
    }

    /** Bias-free convolution with torchvision's ResNet init (what the papers' ResNets use). */
    public static Conv2d of(int in, int out, int kernel, int stride, int padding) {
        return new Conv2d(in, out, kernel, stride, padding, 1, false, Initializer.kaimingNormalFanOut());
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray y = TimeFolding.apply(x, 4, f -> Ops.conv2d(f, weight.array(), bias == null ? null : bias.array(),
                stride, padding, groups));
        if (ctx.recorder() != null) {
            Shape s = y.getShape();
            Shape frame = s.slice(s.dimension() - 3);
            long macs = frame.size() * (long) (in / groups) * kernel * kernel;
            ctx.recorder().record(path(), "conv" + kernel + "x" + kernel + "/s" + stride, frame, ownTrainableCount(), macs,
                    TimeFolding.frames(x, 4), ctx.recorder().activityOf(x));
        }
        return y;
    }

    /**
     * One group of a grouped convolution on its own: {@code x} holds that group's {@code in/groups} input channels,
     * the result its {@code out/groups} output channels, exactly the corresponding channels of {@link #forward} on
     * the whole input. The weights (and bias) are slices of this layer's parameters, so gradients reach them.
     * Lets a caller back-propagate the groups of a grouped convolution one at a time. Records no statistics.
     */
    public NDArray forwardGroup(NDArray x, int group, ForwardContext ctx) {
        if (group < 0 || group >= groups) {
            throw new IllegalArgumentException("group " + group + " of " + groups);
        }
        long per = out / groups;
        NDIndex rows = new NDIndex("{}:{}", group * per, (group + 1) * per);
        try (NDArray w = weight.array().get(rows); NDArray b = bias == null ? null : bias.array().get(rows)) {
            return TimeFolding.apply(x, 4, f -> Ops.conv2d(f, w, b, stride, padding, 1));
        }
    }

    public int groups() { return groups; }

    public int inChannels() { return in; }

    public int outChannels() { return out; }
}
