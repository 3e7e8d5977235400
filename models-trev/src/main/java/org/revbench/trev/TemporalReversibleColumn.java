package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Module;

/**
 * The time steps of T-RevSNN: one {@link TimeStepSubnet} per step, chained through the turn-on neurons' stage states
 * (T-RevSNN Fig. 3, Eq. 10), with the second blocks' tails shared across steps ({@link BlockTail}).
 *
 * <p>{@link #run} runs the steps forward (recorded or not, as the caller's recording is set) and keeps the last
 * step's states, or every step's. {@link #reverse} is the temporal reversible backward (Sec. 4.2: "we only need to
 * store V[T], and we can reversely deduce the membrane potential and activation values of all previous timesteps
 * through Eq. 9"): from the last step's states it walks the steps from last to first, each step reconstructing the
 * previous step's states by the inverse and back-propagating through a recompute of its stages
 * ({@link TimeStepSubnet#reverse}); at any moment one stage's recompute graph is alive on top of the kept inputs and
 * states. With {@link StateKeeping#EVERY_STEP} (the public code's memory: its {@code ReverseFunction} saves every
 * column's output states) each step starts from its stored states instead of the reconstruction, so that
 * reconstruction errors do not carry from one step to the next.
 */
public final class TemporalReversibleColumn extends Module {

    /** The input of each time step's sub-network: the stem output, one for all steps or one per step. */
    @FunctionalInterface
    public interface StepInputs {
        NDArray at(int step);
    }

    /** Called after each step of {@link #run} with its states (not to be closed by the observer). */
    @FunctionalInterface
    public interface StepObserver {
        void after(int step, StageStates states);
    }

    /** The loss gradient with respect to a step's last stage state from that step's head, or null (no head). */
    @FunctionalInterface
    public interface HeadGradients {
        NDArray at(int step, NDArray lastStageState);
    }

    /** Receives the gradient with respect to each step's input (owned by the receiver), from the last step down. */
    @FunctionalInterface
    public interface InputGradients {
        void accept(int step, NDArray gradient);
    }

    private final List<TimeStepSubnet> steps = new ArrayList<>();
    private long reversals;
    private long reconstructedSteps;

    public TemporalReversibleColumn(int timesteps, TrevSpec spec) {
        int[] widths = spec.widths();
        BlockTail[] tails = new BlockTail[StageStates.STAGES];
        if (spec.blocks().sharesTails()) {
            for (int l = 0; l < tails.length; l++) {
                tails[l] = new BlockTail(widths[l], spec.kernel());
            }
        }
        for (int t = 0; t < timesteps; t++) {
            steps.add(addChild("subnet" + t, new TimeStepSubnet(t == 0, spec, tails)));
        }
        // the shared tails belong to the column (registered once: counted and initialised once)
        for (int l = 0; l < tails.length; l++) {
            if (tails[l] != null) {
                addChild("sharedTail" + l, tails[l]);
            }
        }
    }

    public int timesteps() { return steps.size(); }

    public TimeStepSubnet step(int t) { return steps.get(t); }

    /** Applies the public code's {@code |a_l| >= 1e-3} to every step (before each forward). */
    public void keepInvertible() {
        steps.forEach(TimeStepSubnet::keepInvertible);
    }

    /**
     * All steps forward. Returns every step's states ({@code keepAll}) or the last step's only, as a list the caller
     * owns; the states of steps not returned are closed as soon as the next step exists (a recorded graph keeps what
     * it needs). {@code observer} may be null.
     */
    public List<StageStates> run(StepInputs x, ForwardContext ctx, boolean keepAll, StepObserver observer) {
        List<StageStates> kept = new ArrayList<>();
        StageStates previous = null;
        try {
            for (int t = 0; t < steps.size(); t++) {
                StageStates current = steps.get(t).forward(x.at(t), previous, ctx);
                if (previous != null && !keepAll) {
                    previous.close();
                }
                previous = current;
                if (keepAll) {
                    kept.add(current);
                }
                if (observer != null) {
                    observer.after(t, current);
                }
            }
        } catch (RuntimeException e) {
            kept.forEach(StageStates::close);
            if (previous != null && !keepAll) {
                previous.close();
            }
            throw e;
        }
        if (!keepAll) {
            kept.add(previous);
        }
        return kept;
    }

    /**
     * The states of steps {@code 0 .. T-2} (list index = step) reconstructed from the last step's by the inverse alone,
     * each from the reconstruction of the step after it, recording off. The caller owns them.
     */
    public List<StageStates> reconstruct(StepInputs x, StageStates last, ForwardContext ctx) {
        StageStates[] out = new StageStates[steps.size() - 1];
        StageStates current = last;
        for (int t = steps.size() - 1; t > 0; t--) {
            current = steps.get(t).inverse(x.at(t), current, ctx);
            out[t - 1] = current;
        }
        return java.util.Arrays.asList(out);
    }

    /**
     * The temporal reversible backward over all steps, from the last step's states {@code last} (not closed here). With
     * {@code stored} (every step's states, {@link StateKeeping#EVERY_STEP}; not closed here) each step starts from its
     * stored states; without, from the reconstruction of the step after it. {@code heads} adds each step's head
     * gradient; {@code inputs} receives each step's input gradient. Parameter gradients accumulate.
     */
    public void reverse(StepInputs x, StageStates last, List<StageStates> stored, HeadGradients heads,
                        InputGradients inputs, ForwardContext recompute) {
        reversals++;
        int n = steps.size();
        StageStates current = last;
        NDArray[] g = new NDArray[StageStates.STAGES];
        for (int l = 0; l < g.length; l++) {
            g[l] = last.get(l).zerosLike();
        }
        try {
            for (int t = n - 1; t >= 0; t--) {
                NDArray head = heads.at(t, current.get(3));
                g[3] = TimeStepSubnet.accumulate(g[3], head);
                TimeStepSubnet.Reversal r;
                try {
                    r = steps.get(t).reverse(x.at(t), current, g, recompute);
                } finally {
                    java.util.Arrays.fill(g, null); // consumed by reverse, also when it failed
                }
                inputs.accept(t, r.inputGradient());
                if (current != last && (stored == null || !stored.contains(current))) {
                    current.close();
                }
                if (t == 0) {
                    break;
                }
                if (stored != null) {
                    r.previous().close(); // the reconstruction served this step's recompute; the next starts from storage
                    current = stored.get(t - 1);
                } else {
                    reconstructedSteps++;
                    current = r.previous();
                }
                System.arraycopy(r.previousGradients(), 0, g, 0, g.length);
            }
        } catch (RuntimeException e) {
            TimeStepSubnet.closeAll(g);
            if (current != last && (stored == null || !stored.contains(current))) {
                current.close();
            }
            throw e;
        }
    }

    /** How many memory-saving backwards ran ({@link #reverse} calls): lets a test see that training used it. */
    public long reversals() { return reversals; }

    /** How many steps' states a memory-saving backward has reconstructed by the inverse (not taken from storage). */
    public long reconstructedSteps() { return reconstructedSteps; }
}
