package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Batch normalisation over channel axis 1 of {@code [N,C,H,W]} (time folded into N).
 *
 * <p>Calls libtorch's batch_norm directly with axis -1: DJL's momentum 0.9 then means PyTorch's 0.1, and
 * DJL's axis-1 path would swap axes and copy the activation (docs/architecture.md, Engine notes).
 */
public final class BatchNorm2d extends Layer {

    private static final float EPS = 1e-5f;
    /** DJL convention: equals PyTorch momentum 0.1. */
    private static final float DJL_MOMENTUM = 0.9f;

    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    public BatchNorm2d(int channels) {
        this.channels = channels;
        Shape s = new Shape(channels);
        gamma = addParameter(new Parameter("gamma", s, true, Initializer.constant(1)));
        beta = addParameter(new Parameter("beta", s, true, Initializer.constant(0)));
        runningMean = addParameter(new Parameter("running_mean", s, false, Initializer.constant(0)));
        runningVar = addParameter(new Parameter("running_var", s, false, Initializer.constant(1)));
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray y = TimeFolding.apply(x, 4, f -> {
            if (ctx.mode() == ForwardContext.Mode.RECOMPUTE) {
                // batch statistics as in training, but update throw-away copies of the running statistics
                try (NDArray m = runningMean.array().duplicate(); NDArray v = runningVar.array().duplicate()) {
                    return norm(f, m, v, true);
                }
            }
            return norm(f, runningMean.array(), runningVar.array(), ctx.batchStatistics());
        });
        if (ctx.recorder() != null) {
            Shape s = y.getShape();
            ctx.recorder().record(path(), "batchnorm", s.slice(s.dimension() - 3), ownTrainableCount(), 0, TimeFolding.frames(x, 4));
        }
        return y;
    }

    /**
     * Channels {@code [from, from + count)} alone, in {@link ForwardContext.Mode#RECOMPUTE} only (batch statistics,
     * running statistics untouched): BatchNorm is per channel, so this equals those channels of {@link #forward}
     * on the whole input. {@code x} holds just those channels. The affine parameters are slices of this layer's, so
     * gradients reach them. Lets a caller back-propagate a block of channels at a time.
     */
    public NDArray forwardChannels(NDArray x, int from, int count, ForwardContext ctx) {
        if (ctx.mode() != ForwardContext.Mode.RECOMPUTE) {
            throw new IllegalStateException("channel slices of a BatchNorm run only in RECOMPUTE mode, not " + ctx.mode());
        }
        if (from < 0 || count < 1 || from + count > channels) {
            throw new IllegalArgumentException("channels [" + from + ", " + (from + count) + ") of " + channels);
        }
        NDIndex part = new NDIndex("{}:{}", from, from + count);
        return TimeFolding.apply(x, 4, f -> {
            try (NDArray rm = runningMean.array().get(part); NDArray rv = runningVar.array().get(part);
                 NDArray m = rm.duplicate(); NDArray v = rv.duplicate();
                 NDArray g = gamma.array().get(part); NDArray b = beta.array().get(part)) {
                return ai.djl.nn.norm.BatchNorm.batchNorm(f, m, v, g, b, -1, DJL_MOMENTUM, EPS, true).singletonOrThrow();
            }
        });
    }

    private NDArray norm(NDArray f, NDArray mean, NDArray var, boolean training) {
        return ai.djl.nn.norm.BatchNorm.batchNorm(f, mean, var, gamma.array(), beta.array(), -1, DJL_MOMENTUM, EPS, training)
                .singletonOrThrow();
    }

    public int channels() { return channels; }

    public Parameter gamma() { return gamma; }

    public Parameter beta() { return beta; }
}
