package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * The input encoding (T-RevSNN Sec. 4.2 and appendix "Data Preprocessing"): the input is encoded once, not repeated
 * over time, and the encoding is given to every time step's sub-network (Fig. 1 (b); inference energy O(1) in T).
 * <ul>
 *   <li>{@link #image}: the public code's {@code MS_PatchEmbed}, weight-standardised conv 7x7 stride 2 padding 3,
 *       then weight-standardised conv 3x3 stride 2 padding 1 (resolution / 4). Between them the public code applies
 *       {@code leaky_relu(x, act_learn)} with {@code act_learn = 1}, the identity ({@code change_act} never changes
 *       it: it sets the attribute on the network, not on the stem), so there is nothing between them here.</li>
 *   <li>{@link #events}: the public code's {@code MS_PatchEmbed_DVS}, one weight-standardised conv 3x3 stride 1 per
 *       time step, each on its own group of frames (with T frames, one frame each).</li>
 * </ul>
 * The paper's text says the encoding is "divided into equal parts according to the number of timesteps"; the public
 * code gives every step the whole encoding, which is what is built here (the "parts" are the per-step sub-networks,
 * Sec. 5 "Timestep": "we divide the parameters of the entire network into T groups").
 */
public final class TrevStem extends Layer {

    private final WeightStandardizedConv first;
    private final WeightStandardizedConv second;

    private TrevStem(WeightStandardizedConv first, WeightStandardizedConv second) {
        this.first = addChild("conv0", first);
        this.second = second == null ? null : addChild("conv1", second);
    }

    /** Static images: 7x7 s2, 3x3 s2. */
    public static TrevStem image(int inChannels, int width) {
        return new TrevStem(new WeightStandardizedConv(inChannels, width, 7, 2, 3, 1),
                new WeightStandardizedConv(width, width, 3, 2, 1, 1));
    }

    /**
     * Small static images (not the paper's: {@link TrevSpec#withCifarStem}): one weight-standardised conv 3x3 stride 1,
     * the stem of a CIFAR MS-ResNet, so the first stage keeps the input's resolution.
     */
    public static TrevStem cifar(int inChannels, int width) {
        return new TrevStem(new WeightStandardizedConv(inChannels, width, 3, 1, 1, 1), null);
    }

    /** Event frames: 3x3 s1, one stem per time step. */
    public static TrevStem events(int inChannels, int width) {
        return new TrevStem(new WeightStandardizedConv(inChannels, width, 3, 1, 1, 1), null);
    }

    /** The output size of a side of {@code size} pixels. */
    public int outputSize(int size) {
        return second == null ? size : (size + 3) / 4; // ceil(ceil(size / 2) / 2)
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray y = first.forward(x, ctx);
        if (second == null) {
            return y;
        }
        try (y) {
            return second.forward(y, ctx);
        }
    }
}
