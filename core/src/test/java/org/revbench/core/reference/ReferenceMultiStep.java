package org.revbench.core.reference;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-step folding as in SpikingJelly's multi-step mode ({@code SeqToANNContainer}): a layer without time
 * state (conv, BN, pool) sees {@code [T, B, ...]} as one batch {@code [T*B, ...]}, so BatchNorm statistics run
 * over T*B*H*W.
 */
public final class ReferenceMultiStep {

    private ReferenceMultiStep() {}

    /**
     * Applies {@code op} to {@code x [T, B, d...]} reshaped (row-major) to {@code [T*B, d...]} and reshapes its
     * result {@code [T*B, e...]} back to {@code [T, B, e...]}.
     */
    public static INDArray fold(INDArray x, UnaryOperator<INDArray> op) {
        if (x.rank() < 3) {
            throw new IllegalArgumentException("fold needs [T, B, ...] with rank >= 3, got "
                    + Arrays.toString(x.shape()));
        }
        long t = x.size(0);
        long b = x.size(1);
        long[] inner = Arrays.copyOfRange(x.shape(), 1, x.rank());
        inner[0] = t * b;
        INDArray y = op.apply(x.dup('c').reshape('c', inner));
        if (y.size(0) != t * b) {
            throw new IllegalStateException("op changed the batch size: " + Arrays.toString(y.shape()));
        }
        long[] out = new long[y.rank() + 1];
        out[0] = t;
        out[1] = b;
        System.arraycopy(y.shape(), 1, out, 2, y.rank() - 1);
        return y.dup('c').reshape('c', out);
    }
}
