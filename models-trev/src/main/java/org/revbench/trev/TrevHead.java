package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.pooling.Pool;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * A classification head on the last stage's state {@code c_3} of one time step, {@code [B, C3, H, W] -> [B, K]}.
 * <ul>
 *   <li>{@link #pooled}: the public code's {@code Classifier} (its intermediate heads): global average pool of the state
 *       (no spike), then a weight-standardised 1x1 convolution {@code C3 -> K}.</li>
 *   <li>{@link #spiking}: the public code's {@code SpikeClassifier} (its last head): a turn-off spike of the state, global
 *       average pool, weight-standardised 1x1 {@code C3 -> K}, {@code leaky_relu} with slope 1 (the identity, see
 *       {@link TrevStem}), weight-standardised 1x1 {@code K -> K}. An optional input scale: the public code's event
 *       model feeds it {@code c_3 / T}.</li>
 * </ul>
 */
public final class TrevHead extends Layer {

    private final boolean spike;
    private final double inputScale;
    private final WeightStandardizedConv first;
    private final WeightStandardizedConv second;

    private TrevHead(boolean spike, double inputScale, int in, int classes) {
        this.spike = spike;
        this.inputScale = inputScale;
        first = addChild("classifier1", WeightStandardizedConv.pointwise(in, classes));
        second = spike ? addChild("classifier2", WeightStandardizedConv.pointwise(classes, classes)) : null;
    }

    public static TrevHead pooled(int in, int classes) { return new TrevHead(false, 1, in, classes); }

    public static TrevHead spiking(int in, int classes, double inputScale) { return new TrevHead(true, inputScale, in, classes); }

    public boolean spikes() { return spike; }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray pooled;
        if (spike) {
            NDArray scaled;
            if (inputScale == 1) {
                scaled = x.reshape(x.getShape());
            } else {
                try (NDArray s = Tensors.constant(x, inputScale)) {
                    scaled = x.mul(s);
                }
            }
            try (scaled; NDArray s = TurnOffSpike.apply(scaled)) {
                pooled = Pool.globalAvgPool2d(s);
            }
        } else {
            pooled = Pool.globalAvgPool2d(x);
        }
        long b = pooled.getShape().get(0);
        try (pooled; NDArray p4 = pooled.reshape(b, pooled.getShape().get(1), 1, 1); NDArray y = first.forward(p4, ctx)) {
            if (second == null) {
                return y.reshape(b, y.getShape().get(1));
            }
            try (NDArray z = second.forward(y, ctx)) {
                return z.reshape(b, z.getShape().get(1));
            }
        }
    }
}
