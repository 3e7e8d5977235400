package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.engine.Ops;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Initializer;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Parameter;

/**
 * A convolution with scaled weight standardisation (timm's {@code ScaledStdConv2d}, which the public code uses for
 * the stem, the blocks' point-wise convolutions and the heads): per output channel,
 * {@code W_hat = gain * (W - mean(W)) / sqrt(var(W) + 1e-6) * fan_in^-0.5} with the biased variance over the
 * channel's {@code fan_in = in/groups * k * k} weights, then an ordinary convolution with {@code W_hat} and a bias.
 *
 * <p>Why: T-RevSNN drops every BatchNorm inside its blocks (T-RevSNN Sec. 4.3, to save the memory of their
 * statistics) and normalises the weights instead ("the weights of all layers in the network are properly normalized",
 * citing Brock et al., 2021, whose scaled standardisation this is). Trainable: {@code weight}, {@code bias} (init 0),
 * {@code gain} (one per output channel, init 1).
 *
 * <p>Every scalar in the recorded computation is a tensor of the layer's own (docs/architecture.md, Engine notes: a
 * Java number in a recorded operation corrupts gradients).
 */
public final class WeightStandardizedConv extends Layer {

    /** timm's {@code ScaledStdConv2d} default. */
    public static final double EPS = 1e-6;

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;
    private final long fanIn;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter gain;

    public WeightStandardizedConv(int in, int out, int kernel, int stride, int padding, int groups) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("channels " + in + "->" + out + " not divisible by groups " + groups);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        this.fanIn = (long) in / groups * kernel * kernel;
        weight = addParameter(new Parameter("weight", new Shape(out, in / groups, kernel, kernel), true, TrevInit.truncatedNormal()));
        bias = addParameter(new Parameter("bias", new Shape(out), true, Initializer.constant(0)));
        gain = addParameter(new Parameter("gain", new Shape(out, 1, 1, 1), true, Initializer.constant(1)));
    }

    /** A 1x1 convolution (the blocks' point-wise ones and the heads). */
    public static WeightStandardizedConv pointwise(int in, int out) {
        return new WeightStandardizedConv(in, out, 1, 1, 0, 1);
    }

    /**
     * The standardised weight {@code [out, in/groups, k, k]}, recorded when recording is on: libtorch's layer norm over
     * each output channel's {@code fan_in} weights (biased variance, {@code eps} inside the root, exactly the
     * standardisation above), then times {@code gain * fan_in^-0.5}. One fused pass where the element-by-element form
     * took ten operations over the weight (at T-RevSNN-tiny's 17M parameters, most of them in these convolutions,
     * that was a constant cost of every forward, larger than the convolutions themselves at batch 1).
     */
    public NDArray standardizedWeight() {
        NDArray w = weight.array();
        Constants c = constants(w);
        try (NDArray flat = w.reshape(out, fanIn);
             NDArray normalized = Ops.layerNorm(flat, new Shape(fanIn), c.ones, c.zeros, EPS);
             NDArray g = gain.array().reshape(out, 1);
             NDArray factor = g.mul(c.scale);
             NDArray scaled = normalized.mul(factor)) {
            return scaled.reshape(weight.shape());
        }
    }

    /**
     * The layer norm's unit scale and zero shift ({@code [fan_in]}; DJL's layer norm takes no absent affine) and
     * {@code fan_in^-0.5}, as tensors the code owns (docs/architecture.md, Engine notes: no Java number in a recorded
     * operation), made once per weight tensor's manager and dtype rather than at every forward.
     */
    private record Constants(ai.djl.ndarray.NDManager manager, ai.djl.ndarray.types.DataType dtype, NDArray ones,
                             NDArray zeros, NDArray scale) {
        boolean fits(NDArray w) {
            return manager == w.getManager() && dtype == w.getDataType() && !ones.isReleased();
        }
    }

    private Constants constants;

    private Constants constants(NDArray w) {
        Constants c = constants;
        if (c == null || !c.fits(w)) {
            NDArray ones = Tensors.fromDoubles(w.getManager(), filled(fanIn, 1.0), new Shape(fanIn), w.getDataType());
            NDArray zeros = Tensors.fromDoubles(w.getManager(), filled(fanIn, 0.0), new Shape(fanIn), w.getDataType());
            NDArray scale = Tensors.constant(w, 1.0 / Math.sqrt(fanIn));
            c = new Constants(w.getManager(), w.getDataType(), ones, zeros, scale);
            constants = c;
        }
        return c;
    }

    private static double[] filled(long n, double v) {
        double[] a = new double[Math.toIntExact(n)];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray y;
        try (NDArray w = standardizedWeight()) {
            y = Ops.conv2d(x, w, bias.array(), stride, padding, groups);
        }
        ConvStatistics.record(ctx, path(), "wsconv" + kernel + "x" + kernel + "/s" + stride, x, y, in / groups, kernel,
                ownTrainableCount());
        return y;
    }

    public int inChannels() { return in; }

    public int outChannels() { return out; }

    public Parameter weight() { return weight; }

    public Parameter gain() { return gain; }

    public Parameter bias() { return bias; }
}
