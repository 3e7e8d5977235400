package org.revbench.pararev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * ParaRevSNN's module M_i (ParaRevSNN, Sec. "parallel reversible block"): maps {@code p_i} to
 * {@code [G_i(p_i), F_{i+1}(p_i)]} stacked along the channels. {@link FusedBranches} is the paper's fused module,
 * {@link SeparateBranches} the fusion ablation.
 */
abstract class BranchPair extends Layer {

    /**
     * The memory-saving backward of M on one block boundary, in {@link ForwardContext.Mode#RECOMPUTE} with recording
     * on. {@code in} is a leaf that requires gradient and holds M's input {@code p} (Eq. 9: both G of block i and F of
     * block i+1 read it). Both halves of M's output get the same output gradient {@code dOut} (the total gradient
     * at {@code p} of the next block, which is also the gradient at {@code q} of this one), so
     * {@code in.grad += (G'(p) + F'(p))^T dOut} and the parameters' gradients accumulate. With recording off,
     * {@code out <- out - F(p) - G(p)} (in that order: Eq. 11's inverse {@code x2 = y1 - F(x1)}, then
     * {@code x1 = y2 - G(y1)} of the previous block, where that {@code y2} is this {@code x2}).
     */
    abstract void backwardInPlace(NDArray in, NDArray dOut, NDArray out, ForwardContext ctx);
}
