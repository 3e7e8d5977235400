package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.nn.BatchNorm2d;
import org.revbench.core.nn.Conv2d;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * The feature alignment between stages in the multi-level interaction (T-RevSNN Sec. 4.2, after Eq. 11: "we use
 * up/down sampling to achieve feature alignment"): a turn-off spike of a stage state, a bias-free convolution, a
 * BatchNorm, and for up-sampling a nearest-neighbour enlargement by 2. It is the public code's {@code DownSampling}
 * (3x3 stride 2 between stages of different resolution, 1x1 stride 1 into and out of the last stage, which keeps the
 * third stage's resolution) and {@code UpSampling} (1x1, then x2 nearest).
 *
 * <p>These are the only BatchNorms of the network (the blocks have none): the public code has them here, and they are
 * part of its parameter count. In the memory-saving backward they are recomputed in
 * {@link ForwardContext.Mode#RECOMPUTE} (batch statistics, running statistics updated once per step).
 */
public final class Resampling extends Layer {

    private final Conv2d conv;
    private final BatchNorm2d bn;
    private final boolean enlarge;

    private Resampling(int in, int out, int kernel, int stride, int padding, boolean enlarge) {
        this.conv = addChild("conv", new Conv2d(in, out, kernel, stride, padding, 1, false, TrevInit.truncatedNormal()));
        this.bn = addChild("bn", new BatchNorm2d(out));
        this.enlarge = enlarge;
    }

    /** To the next, coarser stage: spike, 3x3 stride-2 convolution, BN. */
    public static Resampling down(int in, int out) { return new Resampling(in, out, 3, 2, 1, false); }

    /** Between two stages of one resolution (into and out of the last stage): spike, 1x1 convolution, BN. */
    public static Resampling sameResolution(int in, int out) { return new Resampling(in, out, 1, 1, 0, false); }

    /** From the next, coarser stage: spike, 1x1 convolution, BN, nearest-neighbour x2. */
    public static Resampling up(int in, int out) { return new Resampling(in, out, 1, 1, 0, true); }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        try (NDArray s = TurnOffSpike.apply(x); NDArray c = conv.forward(s, ctx)) {
            NDArray y = bn.forward(c, ctx);
            if (!enlarge) {
                return y;
            }
            // nearest x2 (torch's Upsample(scale_factor=2, mode="nearest")): every row, then every column, twice
            try (y; NDArray rows = y.repeat(2, 2)) {
                return rows.repeat(3, 2);
            }
        }
    }
}
