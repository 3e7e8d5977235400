package org.revbench.pararev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.AutogradSegment;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;
import org.revbench.core.reversible.Coupling;
import org.revbench.core.reversible.Invertible;
import org.revbench.core.reversible.ReversibleTrace;

/**
 * A stage of ParaRevSNN blocks (ParaRevSNN Eq. 9-11): block i maps {@code (u, v)} to
 * {@code p = v + F_i(u)}, {@code q = u + G_i(p)}, and block i+1 takes {@code (p, q)}. Since G_i and F_{i+1} both
 * read only {@code p}, the stage runs them as one fused module M_i ({@link FusedBranches}); only F_1 and G_n run
 * alone. With n blocks: F_1, then M_1 .. M_{n-1}, then G_n.
 *
 * <p>Training keeps only the stage output. Backward walks the blocks in reverse and recomputes each M once, with
 * the output gradient {@code [dq_{i-1}, dp_i]} (both equal the total gradient at {@code p_i}): inverse
 * {@code u_i = q_i - G_i(p_i)}, {@code v_i = p_i - F_i(u_i)} (Eq. 11). How M is recomputed and back-propagated is
 * M's own ({@link BranchPair#backwardInPlace}): the fused module recomputes its shared part fused and its
 * per-branch part one branch at a time, so that the two branches' graphs are not alive together.
 */
public final class ParallelReversibleStage extends Segment implements Invertible {

    private final Layer first;
    private final List<BranchPair> fused = new ArrayList<>();
    private final Layer last;
    private boolean memorySaving = true;

    /**
     * {@code first} is F_1, {@code fused} are M_1 .. M_{n-1} (each maps {@code p_i} to
     * {@code [G_i(p_i), F_{i+1}(p_i)]}: a {@link FusedBranches}, or {@link SeparateBranches} for the ablation),
     * {@code last} is G_n.
     */
    ParallelReversibleStage(Layer first, List<? extends BranchPair> fused, Layer last) {
        this.first = addChild("F1", first);
        for (int i = 0; i < fused.size(); i++) {
            this.fused.add(addChild("M" + (i + 1), fused.get(i)));
        }
        this.last = addChild("G" + (fused.size() + 1), last);
    }

    @Override
    public int blockCount() { return fused.size() + 1; }

    @Override
    public void setMemorySaving(boolean on) { memorySaving = on; }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        try (NDList xs = Coupling.halves(x)) {
            NDArray u = xs.get(0);
            NDArray v = xs.get(1);
            NDArray f = first.forward(u, ctx); // F_1(u_1)
            NDArray ownedU = null;
            NDArray ownedV = null;
            for (BranchPair m : fused) {
                NDArray p = v.add(f); // p_i = v_i + F_i(u_i)
                f.close();
                NDArray q;
                NDArray gf = m.forward(p, ctx); // [G_i(p_i), F_{i+1}(p_i)]
                NDList parts = gf.split(2, Coupling.CHANNEL_AXIS);
                try (gf; NDArray g = parts.get(0)) {
                    q = u.add(g); // q_i = u_i + G_i(p_i)
                }
                f = parts.get(1); // a view: keeps its graph when recording
                close(ownedU, ownedV);
                u = p; // block i+1 takes (p_i, q_i)
                v = q;
                ownedU = p;
                ownedV = q;
            }
            NDArray p = v.add(f);
            f.close();
            try (p; NDArray g = last.forward(p, ctx); NDArray q = u.add(g)) {
                close(ownedU, ownedV);
                return p.concat(q, Coupling.CHANNEL_AXIS);
            }
        }
    }

    @Override
    public NDArray inverse(NDArray y, ForwardContext ctx) {
        try (NDList ys = Coupling.halves(y)) {
            NDArray p = ys.get(0);
            NDArray q = ys.get(1);
            NDArray u;
            try (NDArray g = last.forward(p, ctx)) {
                u = q.sub(g);
            }
            NDArray ownedP = null;
            NDArray ownedQ = null;
            for (int i = fused.size() - 1; i >= 0; i--) {
                NDArray v;
                NDArray uPrev;
                try (NDArray gf = fused.get(i).forward(u, ctx); NDList parts = gf.split(2, Coupling.CHANNEL_AXIS)) {
                    v = p.sub(parts.get(1));
                    uPrev = v.sub(parts.get(0));
                }
                close(ownedP, ownedQ);
                p = u;   // p_{i} = u_{i+1}
                q = v;   // q_{i} = v_{i+1}
                ownedP = p;
                ownedQ = q;
                u = uPrev;
            }
            NDArray u1 = u;
            try (u1; NDArray f = first.forward(u1, ctx); NDArray v = p.sub(f)) {
                NDArray x = u1.concat(v, Coupling.CHANNEL_AXIS);
                close(ownedP, ownedQ);
                return x;
            }
        }
    }

    @Override
    public Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx) {
        if (!memorySaving) {
            return AutogradSegment.record(input, inputNeedsGradient, leaf -> forward(leaf, ctx));
        }
        NDArray out = Autograd.withRecording(false, () -> forward(input, ctx));
        ForwardContext recompute = ctx.withMode(ForwardContext.Mode.RECOMPUTE);
        return new ReversibleTrace(out, inputNeedsGradient, (y, dy) -> reverse(y, dy, recompute));
    }

    /**
     * The memory-saving backward, in place in {@code y} and {@code dy} (see {@link Coupling#backwardInPlace} for
     * why); returns the stage input's gradient: {@code dy} itself, or a new tensor when the halves ended up
     * swapped. Recording is on. Per block i, from the last, two half-width slots of {@code y} hold {@code p_i}
     * and {@code u_i}, and two of {@code dy} hold {@code dP} (the total gradient at {@code p_i}) and {@code dQ}
     * (the gradient at {@code q_i}); {@code q_i} itself is never needed again once {@code u_i} is known.
     */
    private NDArray reverse(NDArray y, NDArray dy, ForwardContext ctx) {
        try (NDList ys = Coupling.halves(y); NDList dys = Coupling.halves(dy)) {
            NDArray p = ys.get(0);
            NDArray u = ys.get(1);   // holds q_n until G_n is undone
            NDArray dP = dys.get(0);
            NDArray dQ = dys.get(1);
            // G_n alone: q_n = u_n + G_n(p_n); q_n <- q_n - G_n(p_n) = u_n, dP_n <- dp_n + G_n^T dq_n
            try (NDArray pLeaf = Autograd.detachedLeaf(p)) {
                try (NDArray g = last.forward(pLeaf, ctx)) {
                    Autograd.backward(g, dQ);
                    NDArray qn = u;
                    Autograd.withRecording(false, () -> qn.subi(g));
                }
                addGradient(dP, pLeaf);
            }
            for (int j = fused.size() - 1; j >= 0; j--) {
                // M_j(u_i) = [G_{i-1}(p_{i-1}), F_i(u_i)] with p_{i-1} = u_i; both outputs' gradients are dP_i
                NDArray slotP = p;
                try (NDArray uLeaf = Autograd.detachedLeaf(u)) {
                    // slotP: p_i - F_i(u_i) = v_i = q_{i-1}, then q_{i-1} - G_{i-1}(p_{i-1}) = u_{i-1}
                    fused.get(j).backwardInPlace(uLeaf, dP, slotP, ctx);
                    addGradient(dQ, uLeaf); // dP_{i-1} = dQ_i + F_i^T dP_i + G_{i-1}^T dP_i
                }
                // p_{i-1} = u_i; u_{i-1} now sits where p_i was; dQ_{i-1} = dv_i = dP_i stays where it is
                NDArray oldDP = dP;
                p = u;
                u = slotP;
                dP = dQ;
                dQ = oldDP;
            }
            // F_1 alone: p_1 = v_1 + F_1(u_1); p_1 <- p_1 - F_1(u_1) = v_1, du_1 = dQ_1 + F_1^T dP_1, dv_1 = dP_1
            try (NDArray uLeaf = Autograd.detachedLeaf(u)) {
                try (NDArray f = first.forward(uLeaf, ctx)) {
                    Autograd.backward(f, dP);
                    NDArray v = p; // p_1, becoming v_1
                    Autograd.withRecording(false, () -> v.subi(f));
                }
                addGradient(dQ, uLeaf);
            }
            // the input is [u_1, v_1] with gradient [du_1, dv_1] = [dQ, dP]: in place when u_1 is in the first slot
            if (u == ys.get(0)) {
                return dy;
            }
            NDArray du = dQ;
            NDArray dv = dP;
            return Autograd.withRecording(false, () -> du.concat(dv, Coupling.CHANNEL_AXIS));
        }
    }

    /** {@code target <- target + leaf.grad}, recording off. */
    private static void addGradient(NDArray target, NDArray leaf) {
        try (NDArray grad = Autograd.gradient(leaf)) {
            Autograd.withRecording(false, () -> target.addi(grad));
        }
    }

    private static void close(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a != null) {
                a.close();
            }
        }
    }
}
