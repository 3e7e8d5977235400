package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.UnaryOperator;
import org.revbench.core.engine.Tensors;

/**
 * How T-RevSNN's training loss is made from its heads (option {@code loss}); {@link #combine} is the definition, and
 * the network's training pass applies it ({@link org.revbench.core.model.ForwardPass#trainingLoss}).
 */
public enum TrevLoss {

    /**
     * The paper's loss (T-RevSNN appendix, "Data Preprocessing": "we only use the information from the last timestep
     * to calculate the cross-entropy loss"): the loss of the last step's head alone. Intermediate heads, where the
     * model has them, are then not computed in training and receive no gradient.
     */
    LAST_STEP("last-step"),

    /**
     * The public code's loss ({@code compound_loss_only_cls}, RevCol's intermediate supervision): with heads
     * {@code 0..n-1} in step order, {@code sum_i CE_i * (i + 1) / n + CE_{n-1}}, so the last head weighs 2 and an
     * earlier head {@code i} weighs {@code (i + 1) / n}. With one head it is {@code 2 CE}.
     */
    WEIGHTED_STEPS("weighted-steps");

    private final String option;

    TrevLoss(String option) {
        this.option = option;
    }

    public String option() { return option; }

    /** Whether the loss reads intermediate heads (else only the last). */
    public boolean readsIntermediateHeads() { return this == WEIGHTED_STEPS; }

    /**
     * The loss from the heads' logits in step order (the last predicts), with {@code headLoss} the per-head loss (a new
     * recorded scalar per call). Every weight is a tensor of its own (docs/architecture.md, Engine notes). Returns a
     * new recorded scalar; closes the per-head losses, never the logits.
     */
    public NDArray combine(List<NDArray> heads, UnaryOperator<NDArray> headLoss) {
        NDArray last = heads.get(heads.size() - 1);
        if (this == LAST_STEP) {
            return headLoss.apply(last);
        }
        int n = heads.size();
        NDArray total = headLoss.apply(last); // the extra CE of the last head
        try {
            for (int i = 0; i < n; i++) {
                try (NDArray l = headLoss.apply(heads.get(i)); NDArray w = Tensors.constant(l, (i + 1) / (double) n);
                     NDArray weighted = l.mul(w)) {
                    NDArray sum = total.add(weighted);
                    total.close();
                    total = sum;
                }
            }
        } catch (RuntimeException e) {
            total.close();
            throw e;
        }
        return total;
    }

    public static TrevLoss parse(String s) {
        for (TrevLoss k : values()) {
            if (k.option.equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("option " + TrevSpec.OPT_LOSS + " must be last-step or weighted-steps, got '" + s + "'");
    }
}
