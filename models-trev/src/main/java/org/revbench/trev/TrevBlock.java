package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Initializer;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Parameter;

/**
 * T-RevSNN's basic block, ConvNeXt-style (T-RevSNN Sec. 4.3, Fig. 4):
 * {@code x + gamma * tail(spike(pw1(dw1(spike(x)))))}, with {@code dw1} a depth-wise {@code k x k} convolution,
 * {@code pw1} a weight-standardised point-wise {@code C -> 4C}, the {@link BlockTail} a weight-standardised point-wise
 * {@code 4C -> C} then a depth-wise {@code k x k}, and the spikes {@link TurnOffSpike}s (the block's neurons are
 * all turned off in time). No BatchNorm (Sec. 4.3: dropped to save the memory of their statistics; the weights are
 * standardised instead). The shortcut carries the membrane potential (the "membrane shortcut" of MS-ResNet): the
 * block's input is added before any spike.
 *
 * <p>{@code gamma} is the ReZero-style per-channel scale on the residual branch (Sec. 4.3; Table 5's "scaled
 * residual"), shape {@code [1, C, 1, 1]}. The paper gives no initial value: ReZero itself starts at 0, the public code
 * at 1 ({@code layer_scale_init_value=1}); the initial value is an option ({@link TrevSpec#gammaInit()}). The public
 * code gives only the first block of a level a {@code gamma} (it is commented out in the second, whose tail is shared
 * across time steps); the published parameter counts include exactly that, so {@code withGamma} follows it.
 */
public final class TrevBlock extends Layer {

    private final DepthwiseConv depthwise;
    private final WeightStandardizedConv pointwise;
    private final BlockTail tail;
    private final Parameter gamma;

    /**
     * @param sharedTail a tail shared with other blocks (not registered as this block's child, so its parameters are
     *     counted and initialised once, by its owner), or null for a tail of the block's own
     */
    public TrevBlock(int channels, int kernel, boolean withGamma, double gammaInit, BlockTail sharedTail) {
        depthwise = addChild("dwconv1", new DepthwiseConv(channels, kernel));
        pointwise = addChild("pwconv1", WeightStandardizedConv.pointwise(channels, 4 * channels));
        tail = sharedTail != null ? sharedTail : addChild("tail", new BlockTail(channels, kernel));
        gamma = withGamma
                ? addParameter(new Parameter("gamma", new Shape(1, channels, 1, 1), true, Initializer.constant(gammaInit)))
                : null;
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray branch;
        try (NDArray s1 = TurnOffSpike.apply(x); NDArray d = depthwise.forward(s1, ctx); NDArray p = pointwise.forward(d, ctx);
             NDArray s2 = TurnOffSpike.apply(p)) {
            branch = tail.forward(s2, ctx);
        }
        if (gamma == null) {
            try (branch) {
                return x.add(branch);
            }
        }
        try (branch; NDArray scaled = branch.mul(gamma.array())) {
            return x.add(scaled);
        }
    }

    public boolean hasGamma() { return gamma != null; }
}
