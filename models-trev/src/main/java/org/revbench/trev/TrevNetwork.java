package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.nn.InitRandom;
import java.util.function.UnaryOperator;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.ForwardPass;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.LayerNetwork;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.nn.ForwardContext;

/**
 * T-RevSNN : stem ({@link TrevStem}), the time steps' sub-networks chained by turn-on neurons
 * ({@link TemporalReversibleColumn}), heads ({@link TrevHead}) on the last stage's state at the steps
 * {@link TrevSpec#headSteps} names; the last head predicts.
 *
 * <p>Trained through the same calls as every other network ({@link Network}). With memory saving on (the default)
 * a training forward runs with recording off and keeps only what the temporal reversible backward needs: the stem
 * output(s) (each step's input), the last step's stage states ({@link StateKeeping#LAST_STEP}; every step's with
 * {@link StateKeeping#EVERY_STEP}) and each supervised head's logits, as leaves the loss is computed from. Its
 * {@link ForwardPass#backward} back-propagates the loss into those leaves, then walks the steps back
 * ({@link TemporalReversibleColumn#reverse}), recomputing each head on the reconstructed state, and finally recomputes
 * the stem from the input (as core's {@link org.revbench.core.reversible.PreludedStage} does) and back-propagates into
 * it. With memory saving off, everything is recorded by plain autograd: the reference the memory-saving gradients are
 * tested against.
 *
 * <p>Not a {@link org.revbench.core.model.SegmentedNetwork}: the reversible part carries four states and, with the
 * public code's loss, feeds a head at several steps, which a chain of single-input segments cannot express; the
 * design (a recording-off forward that keeps the output, a backward that reconstructs and recomputes with recording on,
 * a recomputed prelude) is the same.
 */
public final class TrevNetwork extends LayerNetwork {

    private final TrevSpec spec;
    private final List<TrevStem> stems = new ArrayList<>();
    private final TemporalReversibleColumn column;
    private final int[] headSteps;
    private final TrevHead[] heads;
    private boolean memorySaving = true;

    /** The layer tree only, parameters not allocated (enough to count them); {@link #build} also initialises. */
    public TrevNetwork(String id, ModelOptions options, InputSpec input, TrevSpec spec) {
        super(id, options, input);
        this.spec = spec;
        int t = options.timesteps();
        int[] w = spec.widths();
        if (spec.events() && !input.events()) {
            throw new IllegalArgumentException(id + ": an event model cannot take " + input);
        }
        // Event frames get one stem per step, frame t to step t (the public code's tiny_dvs); an image model fed event
        // frames (InputSpec#events) keeps its own stem, one per step.
        if (input.events()) {
            for (int i = 0; i < t; i++) {
                stems.add(addChild("stem" + i, stem(input.channels(), w[0])));
            }
        } else {
            stems.add(addChild("stem", stem(input.channels(), w[0])));
        }
        checkResolution(stems.get(0).outputSize(input.height()), stems.get(0).outputSize(input.width()), t);
        column = addChild("column", new TemporalReversibleColumn(t, spec));
        headSteps = spec.headSteps(t);
        heads = new TrevHead[headSteps.length];
        for (int i = 0; i < heads.length; i++) {
            boolean last = i == heads.length - 1;
            heads[i] = addChild("head" + i, last ? TrevHead.spiking(w[3], options.classes(), spec.events() ? 1.0 / t : 1.0)
                    : TrevHead.pooled(w[3], options.classes()));
        }
        assignPaths("");
    }

    private TrevStem stem(int inChannels, int width) {
        return spec.events() ? TrevStem.events(inChannels, width)
                : spec.cifarStem() ? TrevStem.cifar(inChannels, width) : TrevStem.image(inChannels, width);
    }

    /** Constructs and initialises (parameters from {@code options.seed()}, in {@code options.dtype()}). */
    public static TrevNetwork build(String id, ModelOptions options, InputSpec input, TrevSpec spec, NDManager manager) {
        TrevNetwork n = new TrevNetwork(id, options, input, spec);
        n.initialize(manager, options.dtype(), new InitRandom(options.seed()));
        return n;
    }

    /**
     * Up-sampling by 2 from stage 2 to 1 and from 1 to 0 must meet the finer stage's size: the stem output's sides
     * must be multiples of 4 (224 gives 56/28/14/14), or of 8 where stage 3 is coarser too (MS-ResNet's 56/28/14/7;
     * {@link StageBlocks#sideMultiple}). The public code fails on other sizes as well.
     */
    private void checkResolution(int h, int w, int timesteps) {
        int m = spec.blocks().sideMultiple();
        if (timesteps > 1 && (h % m != 0 || w % m != 0)) {
            throw new IllegalArgumentException(id() + ": the stem output " + h + "x" + w + " (from input " + input()
                    + ") must have sides divisible by " + m + " for the up-sampling between stages");
        }
    }

    public TrevSpec spec() { return spec; }

    public TemporalReversibleColumn column() { return column; }

    /** The steps that carry a head (the last predicts). */
    public int[] headSteps() { return headSteps.clone(); }

    @Override
    public void setMemorySaving(boolean on) { memorySaving = on; }

    public boolean memorySaving() { return memorySaving; }

    /** Index into {@link #heads} of the head at {@code step}, or -1. */
    private int headAt(int step) {
        for (int i = 0; i < headSteps.length; i++) {
            if (headSteps[i] == step) {
                return i;
            }
        }
        return -1;
    }

    /** Whether training computes the head at {@code step} (all heads for the public code's loss, else the last). */
    private boolean trained(int step) {
        int i = headAt(step);
        return i >= 0 && (spec.loss().readsIntermediateHeads() || i == heads.length - 1);
    }

    /** The stem outputs, one (image) or one per step (events); recorded as the caller's recording is. */
    private List<NDArray> encode(NDArray x, ForwardContext ctx) {
        List<NDArray> out = new ArrayList<>();
        try {
            if (!input().events()) {
                out.add(stems.get(0).forward(x, ctx));
            } else {
                for (int t = 0; t < stems.size(); t++) {
                    try (NDArray frame = x.get(t)) {
                        out.add(stems.get(t).forward(frame, ctx));
                    }
                }
            }
        } catch (RuntimeException e) {
            out.forEach(NDArray::close);
            throw e;
        }
        return out;
    }

    private static TemporalReversibleColumn.StepInputs inputs(List<NDArray> encoded) {
        return t -> encoded.get(encoded.size() == 1 ? 0 : t);
    }

    /** Inference-style forward in {@code ctx} (logits of the last head); recorded as the caller's recording is. */
    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        column.keepInvertible();
        List<NDArray> encoded = encode(x, ctx);
        try {
            List<StageStates> last = column.run(inputs(encoded), ctx, false, null);
            try (StageStates s = last.get(0)) {
                return heads[heads.length - 1].forward(s.get(3), ctx);
            }
        } finally {
            encoded.forEach(NDArray::close);
        }
    }

    @Override
    protected ForwardPass trainingPass(NDArray x, boolean inputGradient, ForwardContext ctx) {
        column.keepInvertible();
        return memorySaving ? new MemorySavingPass(x, inputGradient, ctx) : new AutogradPass(x, inputGradient, ctx);
    }

    /** Plain autograd over the whole network: the reference. */
    final class AutogradPass implements ForwardPass {
        private final NDArray leaf;
        private final boolean inputGradient;
        private final List<NDArray> logits = new ArrayList<>();
        private NDArray dx;

        AutogradPass(NDArray x, boolean inputGradient, ForwardContext ctx) {
            this.inputGradient = inputGradient;
            leaf = inputGradient ? Autograd.detachedLeaf(x) : x.stopGradient();
            Autograd.withRecording(true, () -> {
                List<NDArray> encoded = encode(leaf, ctx);
                try {
                    column.run(inputs(encoded), ctx, false, (t, s) -> {
                        if (trained(t)) {
                            logits.add(heads[headAt(t)].forward(s.get(3), ctx));
                        }
                    }).forEach(StageStates::close); // the graph keeps what it needs
                } catch (RuntimeException e) {
                    close();
                    throw e;
                } finally {
                    encoded.forEach(NDArray::close);
                }
                return null;
            });
        }

        @Override
        public NDArray logits() { return logits.get(logits.size() - 1); }

        @Override
        public NDArray trainingLoss(UnaryOperator<NDArray> headLoss) { return spec.loss().combine(logits, headLoss); }

        @Override
        public void backward(NDArray loss) {
            Autograd.backwardScalar(loss);
            dx = inputGradient ? Autograd.gradient(leaf) : null;
        }

        @Override
        public NDArray inputGradient() { return dx; }

        @Override
        public void close() {
            logits.forEach(NDArray::close);
            logits.clear();
            leaf.close();
            if (dx != null) {
                dx.close();
                dx = null;
            }
        }
    }

    /**
     * The temporal reversible training pass: keeps the stem output(s), the last step's states (or every step's), and
     * the supervised heads' logits as leaves.
     */
    final class MemorySavingPass implements ForwardPass {
        private final NDArray x;
        private final boolean inputGradient;
        private final ForwardContext ctx;
        private final List<NDArray> encoded;
        private final List<StageStates> states;
        private final NDArray[] headLeaves;
        private final List<NDArray> trainedLeaves = new ArrayList<>();
        private NDArray dx;
        private boolean done;

        MemorySavingPass(NDArray x, boolean inputGradient, ForwardContext ctx) {
            this.x = x;
            this.inputGradient = inputGradient;
            this.ctx = ctx;
            this.headLeaves = new NDArray[options().timesteps()];
            List<NDArray> enc = null;
            List<StageStates> st = null;
            boolean before = Autograd.setRecording(false);
            try {
                enc = encode(x, ctx);
                st = column.run(inputs(enc), ctx, spec.states() == StateKeeping.EVERY_STEP, (t, s) -> {
                    if (trained(t)) {
                        try (NDArray l = heads[headAt(t)].forward(s.get(3), ctx)) {
                            headLeaves[t] = Autograd.detachedLeaf(l);
                            trainedLeaves.add(headLeaves[t]);
                        }
                    }
                });
            } catch (RuntimeException e) {
                if (enc != null) {
                    enc.forEach(NDArray::close);
                }
                trainedLeaves.forEach(NDArray::close);
                throw e;
            } finally {
                Autograd.setRecording(before);
            }
            encoded = enc;
            states = st;
        }

        /** Steps whose stage states this pass keeps (1, or T with {@link StateKeeping#EVERY_STEP}). */
        int keptStateSteps() { return states.size(); }

        /** Bytes kept between forward and backward: stem outputs, states, head logits. */
        long keptBytes() {
            long n = 0;
            for (NDArray e : encoded) {
                n += e.getShape().size() * e.getDataType().getNumOfBytes();
            }
            for (StageStates s : states) {
                n += s.bytes();
            }
            for (NDArray l : trainedLeaves) {
                n += l.getShape().size() * l.getDataType().getNumOfBytes();
            }
            return n;
        }

        @Override
        public NDArray logits() { return headLeaves[headLeaves.length - 1]; }

        @Override
        public NDArray trainingLoss(UnaryOperator<NDArray> headLoss) { return spec.loss().combine(trainedLeaves, headLoss); }

        @Override
        public void backward(NDArray loss) {
            if (done) {
                throw new IllegalStateException("backward runs once per pass");
            }
            done = true;
            Autograd.backwardScalar(loss); // into the head leaves only: the loss graph ends there
            NDArray[] headGrads = new NDArray[headLeaves.length];
            for (int t = 0; t < headLeaves.length; t++) {
                headGrads[t] = headLeaves[t] == null ? null : Autograd.gradient(headLeaves[t]);
            }
            ForwardContext recompute = ctx.withMode(ForwardContext.Mode.RECOMPUTE);
            NDArray[] stemGrad = new NDArray[1];
            NDArray[] frameGrads = new NDArray[stems.size()];
            try {
                StageStates last = states.get(states.size() - 1);
                column.reverse(inputs(encoded), last, spec.states() == StateKeeping.EVERY_STEP ? states : null,
                        (t, c3) -> headGradient(t, c3, headGrads[t], recompute),
                        (t, g) -> {
                            if (input().events()) {
                                frameGrads[t] = stemBackward(t, g, recompute); // at once: g is freed step by step
                            } else {
                                stemGrad[0] = TimeStepSubnet.accumulate(stemGrad[0], g); // one encoding for all steps
                            }
                        }, recompute);
                if (!input().events()) {
                    frameGrads[0] = stemBackward(-1, stemGrad[0], recompute);
                    stemGrad[0] = null;
                }
                if (inputGradient) {
                    dx = input().events() ? NDArrays.stack(new NDList(frameGrads)) : frameGrads[0];
                    if (input().events()) {
                        TimeStepSubnet.closeAll(frameGrads);
                    }
                }
            } finally {
                TimeStepSubnet.closeAll(headGrads);
                if (stemGrad[0] != null) {
                    stemGrad[0].close();
                }
                if (!inputGradient) {
                    TimeStepSubnet.closeAll(frameGrads);
                }
            }
        }

        /** Recomputes the head at {@code step} on {@code c3} with recording on and back-propagates its logits' gradient. */
        private NDArray headGradient(int step, NDArray c3, NDArray logitsGrad, ForwardContext recompute) {
            if (logitsGrad == null) {
                return null;
            }
            try (NDArray leaf = Autograd.detachedLeaf(c3)) {
                Autograd.withRecording(true, () -> {
                    try (NDArray l = heads[headAt(step)].forward(leaf, recompute)) {
                        Autograd.backward(l, logitsGrad);
                    }
                    return null;
                });
                return Autograd.gradient(leaf);
            }
        }

        /**
         * Recomputes a stem (step {@code step} of the event stems, or the image stem for -1) from the input with recording
         * on and back-propagates {@code grad} (closed here); returns the input's gradient when asked for, else null.
         */
        private NDArray stemBackward(int step, NDArray grad, ForwardContext recompute) {
            try (grad; NDArray in = step < 0 ? x.stopGradient() : x.get(step);
                 NDArray leaf = inputGradient ? Autograd.detachedLeaf(in) : in.stopGradient()) {
                Autograd.withRecording(true, () -> {
                    try (NDArray y = stems.get(Math.max(step, 0)).forward(leaf, recompute)) {
                        Autograd.backward(y, grad);
                    }
                    return null;
                });
                return inputGradient ? Autograd.gradient(leaf) : null;
            }
        }

        @Override
        public NDArray inputGradient() { return dx; }

        @Override
        public void close() {
            encoded.forEach(NDArray::close);
            encoded.clear();
            states.forEach(StageStates::close);
            states.clear();
            trainedLeaves.forEach(NDArray::close);
            trainedLeaves.clear();
            java.util.Arrays.fill(headLeaves, null);
            if (dx != null) {
                dx.close();
                dx = null;
            }
        }
    }
}
