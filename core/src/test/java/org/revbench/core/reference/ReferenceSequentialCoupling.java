package org.revbench.core.reference;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The sequential reversible coupling of RevSResNet / S-RevSNN (docs/papers.md, ParaRevSNN equations) on
 * {@code [T, B, C, H, W]}: the channel dim 2 is split into halves {@code x1 = x[:, :, :C/2]},
 * {@code x2 = x[:, :, C/2:]};
 * <pre>
 *   forward:  y1 = x1 + F(x2),   y2 = x2 + G(y1),   y = cat(y1, y2) along C
 *   inverse:  x2 = y2 - G(y1),   x1 = y1 - F(x2),   x = cat(x1, x2) along C
 * </pre>
 * F and G map {@code [T, B, C/2, H, W]} to the same shape and must be deterministic (e.g.
 * {@link ReferenceSpikingConvBn}).
 */
public final class ReferenceSequentialCoupling {

    /** Channel dim of {@code [T, B, C, H, W]}. */
    public static final int CHANNEL_DIM = 2;

    private final UnaryOperator<INDArray> f;
    private final UnaryOperator<INDArray> g;

    public ReferenceSequentialCoupling(UnaryOperator<INDArray> f, UnaryOperator<INDArray> g) {
        this.f = Objects.requireNonNull(f, "f");
        this.g = Objects.requireNonNull(g, "g");
    }

    public INDArray forward(INDArray x) {
        INDArray[] h = splitChannels(x);
        INDArray y1 = h[0].add(f.apply(h[1]));
        INDArray y2 = h[1].add(g.apply(y1));
        return Nd4j.concat(CHANNEL_DIM, y1, y2);
    }

    public INDArray inverse(INDArray y) {
        INDArray[] h = splitChannels(y);
        INDArray x2 = h[1].sub(g.apply(h[0]));
        INDArray x1 = h[0].sub(f.apply(x2));
        return Nd4j.concat(CHANNEL_DIM, x1, x2);
    }

    /** {@code [T, B, C, H, W]} -> first and second channel halves (contiguous copies). */
    public static INDArray[] splitChannels(INDArray x) {
        ReferenceArrays.requireDouble(x, "x");
        if (x.rank() != 5 || x.size(CHANNEL_DIM) % 2 != 0) {
            throw new IllegalArgumentException("expected [T, B, C, H, W] with even C, got "
                    + Arrays.toString(x.shape()));
        }
        long half = x.size(CHANNEL_DIM) / 2;
        INDArray a = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, half),
                NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        INDArray b = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(half, 2 * half),
                NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        return new INDArray[] {a, b};
    }
}
