package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.nn.BatchNorm2d;
import org.revbench.core.nn.Conv2d;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * MS-ResNet's basic block (Hu et al.; core's baseline {@code MsResNet}) inside one time step's sub-network, for
 * T-RevSNN Table 6 ("we exploit the idea to MS-ResNet"): {@code x + BN(conv3x3(spike(BN(conv3x3(spike(x))))))} on one
 * step's {@code [B, C, H, W]}. Its neurons are turned off ({@link TurnOffSpike}: no temporal state, Sec. 4.1), as every
 * neuron inside a T-RevSNN sub-network is; the shortcut carries the membrane potential, as MS-ResNet's. Stride 1 and
 * one width: a stage's resolution and width change in its fusion's down-sampling ({@link Resampling}), before the
 * blocks. The convolutions are bias-free, as MS-ResNet's (torchvision's), initialised as every T-RevSNN convolution
 * ({@link TrevInit}).
 */
public final class MembraneShortcutBlock extends Layer {

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;

    public MembraneShortcutBlock(int channels) {
        conv1 = addChild("conv1", new Conv2d(channels, channels, 3, 1, 1, 1, false, TrevInit.truncatedNormal()));
        bn1 = addChild("bn1", new BatchNorm2d(channels));
        conv2 = addChild("conv2", new Conv2d(channels, channels, 3, 1, 1, 1, false, TrevInit.truncatedNormal()));
        bn2 = addChild("bn2", new BatchNorm2d(channels));
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        try (NDArray s1 = TurnOffSpike.apply(x); NDArray c1 = conv1.forward(s1, ctx); NDArray b1 = bn1.forward(c1, ctx);
             NDArray s2 = TurnOffSpike.apply(b1); NDArray c2 = conv2.forward(s2, ctx); NDArray b2 = bn2.forward(c2, ctx)) {
            return x.add(b2);
        }
    }
}
