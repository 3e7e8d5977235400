package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Module;

/**
 * The sub-network of one time step (T-RevSNN Fig. 1 (b) and Fig. 3; the public code's {@code SubNet}, a column of
 * RevCol): four {@link StageLevel}s, each closed by a turn-on neuron ({@link TurnOnTransfer}), updating the stage
 * states from the previous step's,
 * <pre>  c_0[t] = L_0(x[t],   c_1[t-1]) + a_0 c_0[t-1]
 *  c_1[t] = L_1(c_0[t], c_2[t-1]) + a_1 c_1[t-1]
 *  c_2[t] = L_2(c_1[t], c_3[t-1]) + a_2 c_2[t-1]
 *  c_3[t] = L_3(c_2[t])           + a_3 c_3[t-1]</pre>
 * (Eq. 10 with up/down sampling). Every time step has its own weights (Sec. 4.2: "we disable weight reuse of turn-off
 * spiking neurons in the temporal dimension", Eq. 8), except the shared tails of the second blocks ({@link BlockTail}).
 * The first time step starts from zero states and has no up-sampling paths (public code: {@code first_col}).
 *
 * <p>{@link #inverse} undoes one step from the deepest stage down (Eq. 9/11): {@code c_3[t-1]} needs only
 * {@code c_2[t]}; then each {@code c_l[t-1]} needs {@code c_{l+1}[t-1]}, just recovered. {@link #reverse} is the same walk
 * with the memory-saving backward folded in, as the public code's {@code ReverseFunction.backward}: per stage, one
 * recompute of {@code L_l} serves both the reconstruction and the vector-Jacobian product (with spatially reversible
 * blocks, {@link StageLevel#recompute} runs them forward without a graph and back-propagates them block by block).
 */
public final class TimeStepSubnet extends Module {

    private final boolean first;
    private final StageLevel[] levels = new StageLevel[StageStates.STAGES];
    private final TurnOnTransfer[] transfers = new TurnOnTransfer[StageStates.STAGES];

    /** @param sharedTails one per stage, shared by every time step's second block (entries null where the blocks share none) */
    public TimeStepSubnet(boolean first, TrevSpec spec, BlockTail[] sharedTails) {
        this.first = first;
        int[] widths = spec.widths();
        for (int l = 0; l < StageStates.STAGES; l++) {
            transfers[l] = addChild("alpha" + l, new TurnOnTransfer(widths[l]));
        }
        for (int l = 0; l < StageStates.STAGES; l++) {
            levels[l] = addChild("level" + l, new StageLevel(l, spec, !first, sharedTails[l]));
        }
    }

    /** Whether this is the first time step's sub-network (zero previous states, no up-sampling). */
    public boolean isFirst() { return first; }

    public TurnOnTransfer transfer(int level) { return transfers[level]; }

    /** Keeps every {@code |a_l| >= 1e-3} (before each forward, as the public code does). */
    void keepInvertible() {
        for (TurnOnTransfer t : transfers) {
            t.keepInvertible();
        }
    }

    /**
     * One step: the states at this step from the input {@code x} (the stem output) and the previous step's states
     * (null exactly for the first step). Recorded when recording is on. Closes neither argument.
     */
    public StageStates forward(NDArray x, StageStates previous, ForwardContext ctx) {
        checkPrevious(previous);
        NDArray[] c = new NDArray[StageStates.STAGES];
        try {
            for (int l = 0; l < StageStates.STAGES; l++) {
                NDArray lower = l == 0 ? x : c[l - 1];
                NDArray upper = previous != null && l < 3 ? previous.get(l + 1) : null;
                try (NDArray f = levels[l].apply(lower, upper, ctx)) {
                    c[l] = transfers[l].next(f, previous == null ? null : previous.get(l));
                }
            }
        } catch (RuntimeException e) {
            new StageStates(c).close();
            throw e;
        }
        return new StageStates(c);
    }

    /** The previous step's states from this step's (Eq. 9/11), recording off. Not for the first step. */
    public StageStates inverse(NDArray x, StageStates current, ForwardContext ctx) {
        if (first) {
            throw new IllegalStateException("the first time step starts from zero states: nothing to reconstruct");
        }
        NDArray[] p = new NDArray[StageStates.STAGES];
        Autograd.withRecording(false, () -> {
            for (int l = StageStates.STAGES - 1; l >= 0; l--) {
                NDArray lower = l == 0 ? x : current.get(l - 1);
                try (NDArray f = levels[l].apply(lower, l < 3 ? p[l + 1] : null, ctx)) {
                    p[l] = transfers[l].previous(current.get(l), f);
                }
            }
            return null;
        });
        return new StageStates(p);
    }

    /**
     * What {@link #reverse} leaves: the previous step's states reconstructed and the loss gradient with respect to
     * them so far (both null for the first step), and the gradient with respect to this step's input {@code x}.
     */
    public record Reversal(StageStates previous, NDArray[] previousGradients, NDArray inputGradient) {}

    /**
     * The memory-saving backward of one step. {@code gradients} (consumed: closed here) are the loss gradients with
     * respect to this step's states, complete (later steps and this step's head included). Per stage, deepest
     * first: recompute {@code f = L_l(c_{l-1}[t], c_{l+1}[t-1])} (from detached leaves, in {@code recompute} mode,
     * {@link StageLevel#recompute}), reconstruct {@code c_l[t-1] = (c_l[t] - f) / a_l} (Eq. 9/11), and back-propagate
     * {@code g_l} through {@code c_l[t] = f + a_l * c_l[t-1]}: into {@code a_l} (times {@code c_l[t-1]}), and, as the
     * gradient of {@code f}, through {@code L_l}, which accumulates its parameters' gradients and yields the gradients of
     * {@code c_{l-1}[t]} (completing {@code g_{l-1}}, processed next) and of {@code c_{l+1}[t-1]}; {@code c_l[t-1]}
     * receives {@code a_l g_l} through the shortcut.
     */
    public Reversal reverse(NDArray x, StageStates current, NDArray[] gradients, ForwardContext recompute) {
        NDArray[] g = gradients.clone();
        NDArray[] p = first ? null : new NDArray[StageStates.STAGES];
        NDArray[] gp = first ? null : new NDArray[StageStates.STAGES];
        NDArray dx = null;
        try {
            for (int l = StageStates.STAGES - 1; l >= 0; l--) {
                NDArray lower = l == 0 ? x : current.get(l - 1);
                NDArray upper = !first && l < 3 ? p[l + 1] : null;
                try (NDArray lowLeaf = Autograd.detachedLeaf(lower);
                     NDArray upLeaf = upper == null ? null : Autograd.detachedLeaf(upper);
                     Segment.Trace f = levels[l].recompute(lowLeaf, upLeaf, recompute)) {
                    if (!first) {
                        // before the stage's backward, which may overwrite f and g_l in place
                        p[l] = transfers[l].previous(current.get(l), f.output());
                        transfers[l].backPropagateDecay(p[l], g[l]);
                        gp[l] = transfers[l].carryGradient(g[l]);
                    }
                    f.backward(f.output(), g[l]); // dc_l[t]/df is the identity
                    NDArray gLow = Autograd.gradient(lowLeaf);
                    if (l > 0) {
                        g[l - 1] = accumulate(g[l - 1], gLow);
                    } else {
                        dx = gLow;
                    }
                    if (upLeaf != null) {
                        gp[l + 1] = accumulate(gp[l + 1], Autograd.gradient(upLeaf));
                    }
                }
                g[l].close();
                g[l] = null;
            }
        } catch (RuntimeException e) {
            closeAll(g);
            closeAll(p);
            closeAll(gp);
            if (dx != null) {
                dx.close();
            }
            throw e;
        }
        return new Reversal(first ? null : new StageStates(p), gp, dx);
    }

    /** {@code sum + more} with recording off, closing both (either may be null). */
    static NDArray accumulate(NDArray sum, NDArray more) {
        if (more == null) {
            return sum;
        }
        if (sum == null) {
            return more;
        }
        NDArray r = Autograd.withRecording(false, () -> sum.add(more));
        sum.close();
        more.close();
        return r;
    }

    static void closeAll(NDArray[] a) {
        if (a == null) {
            return;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != null) {
                a[i].close();
                a[i] = null;
            }
        }
    }

    private void checkPrevious(StageStates previous) {
        if (first != (previous == null)) {
            throw new IllegalArgumentException(first ? "the first time step takes no previous states"
                    : "a later time step needs the previous step's states");
        }
    }
}
