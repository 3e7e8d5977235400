package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.revbench.core.engine.Tensors;

/**
 * Softmax cross-entropy, mean over the batch, with optional label smoothing (PyTorch's definition: the target
 * is {@code (1 - eps) * onehot + eps / K}). Every scalar is an owned constant (docs/architecture.md, Engine notes).
 */
public final class CrossEntropy {

    private final double smoothing;

    public CrossEntropy(double smoothing) {
        if (smoothing < 0 || smoothing >= 1) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    public static CrossEntropy plain() { return new CrossEntropy(0); }

    /** {@code logits [B, K]}, {@code labels [B]} int64 class indices; returns a recorded scalar. */
    public NDArray loss(NDArray logits, NDArray labels) {
        long batch = logits.getShape().get(0);
        long classes = logits.getShape().get(1);
        DataType dt = logits.getDataType();
        try (NDArray logp = logits.logSoftmax(1);
             NDArray onehot = labels.oneHot((int) classes, dt);
             NDArray keep = Tensors.constant(logits, 1 - smoothing);
             NDArray spread = Tensors.constant(logits, smoothing / classes);
             NDArray scaled = onehot.mul(keep);
             NDArray target = scaled.add(spread);
             NDArray prod = logp.mul(target);
             NDArray total = prod.sum();
             NDArray negInvBatch = Tensors.constant(logits, -1.0 / batch)) {
            return total.mul(negInvBatch);
        }
    }

    /**
     * Cross-entropy against soft targets {@code [B, K]} (rows summing to 1, e.g. mixup's label-smoothed mixtures):
     * {@code -mean_b sum_k target[b,k] * log_softmax(logits)[b,k]}. Soft targets carry their own smoothing.
     */
    public static NDArray softLoss(NDArray logits, NDArray softTargets) {
        long batch = logits.getShape().get(0);
        try (NDArray logp = logits.logSoftmax(1);
             NDArray targets = softTargets.toType(logits.getDataType(), true);
             NDArray prod = logp.mul(targets);
             NDArray total = prod.sum();
             NDArray negInvBatch = Tensors.constant(logits, -1.0 / batch)) {
            return total.mul(negInvBatch);
        }
    }

    /** Number of rows whose arg-max equals the label. */
    public static long correct(NDArray logits, NDArray labels) {
        try (NDArray pred = logits.argMax(1); NDArray l = labels.toType(pred.getDataType(), true);
             NDArray eq = pred.eq(l); NDArray n = eq.sum()) {
            return n.getLong(); // toType(.., copy=true): without the copy it may return labels itself, then closed here
        }
    }
}
