package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.AutogradSegment;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.engine.Tensors;
import org.revbench.core.reversible.Invertible;
import org.revbench.core.reversible.ReconstructionAudited;
import org.revbench.core.reversible.ReconstructionTally;

/**
 * the reversible node paper's reversible spiking neuron node over {@code [T, B, ...]}: a spiking neuron whose output {@code Y} and
 * last membrane potential determine its input, so a network built of it need not keep its activations.
 *
 * <p>Per time step the input {@code X^t} and the previous potential {@code V^{t-1}} (0 before the first step) are
 * split into {@code n} groups along the last dimension and run through Eq. 3-8 group after group
 * ({@link NodeEquations}); the output is {@code Y^t} (real-valued: a spike plus {@code beta} times the next group's
 * input). The inverse ({@link NodeInverse}, Eq. 9-12) walks back from the output and the last potential.
 *
 * <p>Training ({@link #forwardTrain}) follows the {@link BackwardMode}: {@link BackwardMode#AUTOGRAD} records every
 * step; the two memory-saving modes run the forward without recording and keep only the output (which the next
 * layer holds anyway) and the last potential {@code V^{T-1}} ({@code 1/T} of the output). Backward then walks the
 * steps from last to first: reconstruct the step ({@link NodeInverse}), then either re-run its forward with
 * recording ({@link ForwardRerunBackward}) or take its Jacobian in closed form on the inverse's values
 * ({@link InverseGradientBackward}). At any moment only one step's reconstruction and gradients are live besides the
 * kept output and the input gradient being assembled.
 *
 * <p>The node has no parameters. As an {@link Invertible} segment, {@link #setMemorySaving} switches between
 * {@link BackwardMode#AUTOGRAD} and the memory-saving mode chosen with {@link #setBackwardMode} (default
 * {@link BackwardMode#INVERSE_GRADIENT}), and {@link #inverse(NDArray, ForwardContext)} reconstructs the input of
 * the most recent {@link #forward} from its output and the last potential that call kept, as the paper's node does.
 */
public final class ReversibleNeuronNode extends Segment implements Invertible, ReconstructionAudited {

    /**
     * A forward over all steps.
     *
     * @param outputs       {@code Y}, {@code [T, B, ...]}
     * @param lastPotential {@code V^{T-1}}, {@code [B, ...]}
     * @param potentials    all {@code V^t}, {@code [T, B, ...]}, or null unless asked for
     */
    public record Run(NDArray outputs, NDArray lastPotential, NDArray potentials) implements AutoCloseable {
        @Override
        public void close() {
            outputs.close();
            lastPotential.close();
            if (potentials != null) {
                potentials.close();
            }
        }
    }

    private final ReversibleNodeSpec spec;
    private final NodeInverse inverter;
    /**
     * The memory-saving backward works on at most this many elements of a step at a time (whole samples, at least
     * one); 0 or less: the whole batch at once. Default {@link #DEFAULT_REVERSE_CHUNK_ELEMENTS}.
     */
    private long reverseChunkElements = DEFAULT_REVERSE_CHUNK_ELEMENTS;
    private BackwardMode savingMode = BackwardMode.INVERSE_GRADIENT;
    private boolean memorySaving = true;
    private NDArray lastPotential;
    private ReconstructionTally tally;

    public ReversibleNeuronNode(ReversibleNodeSpec spec) {
        this(spec, NodeInverse.DEFAULT_MIN_DENOMINATOR);
    }

    /** @param minDenominator the inverse's limit on {@code |(1 - Y)(1 - 1/tau) + alpha|} (0 switches the check off) */
    public ReversibleNeuronNode(ReversibleNodeSpec spec, double minDenominator) {
        this(spec, minDenominator, 0);
    }

    /** @param guard the inverse's floor on {@code |D|} where it does not throw ({@link NodeInverse#NodeInverse(ReversibleNodeSpec, double, double)}) */
    public ReversibleNeuronNode(ReversibleNodeSpec spec, double minDenominator, double guard) {
        this.spec = spec;
        this.inverter = new NodeInverse(spec, minDenominator, guard);
    }

    /**
     * 2^16 elements (256 KiB in float32): one CIFAR sample of a 64-channel 32x32 layer. The backward's per-step
     * temporaries then stay below a few MiB whatever the batch, where at the whole batch they are several times one
     * step's activation and, at small T, rival the last potential the node keeps (revnode Figure 4 counts both).
     */
    public static final long DEFAULT_REVERSE_CHUNK_ELEMENTS = 1L << 16;

    public ReversibleNodeSpec spec() { return spec; }

    /** See {@link #DEFAULT_REVERSE_CHUNK_ELEMENTS}; 0 or less works on the whole batch per step. */
    public void setReverseChunkElements(long elements) { this.reverseChunkElements = elements; }

    public long reverseChunkElements() { return reverseChunkElements; }

    public NodeInverse inverter() { return inverter; }

    /** The memory-saving mode used while memory saving is on; {@link BackwardMode#AUTOGRAD} also turns it off. */
    public void setBackwardMode(BackwardMode mode) {
        if (mode == BackwardMode.AUTOGRAD) {
            memorySaving = false;
        } else {
            savingMode = mode;
            memorySaving = true;
        }
    }

    public BackwardMode backwardMode() { return memorySaving ? savingMode : BackwardMode.AUTOGRAD; }

    @Override
    public void setMemorySaving(boolean on) { memorySaving = on; }

    @Override
    public int blockCount() { return 1; }

    /** The output {@code Y}; keeps the last potential (detached) for {@link #inverse(NDArray, ForwardContext)}. */
    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        Run r = run(x, false);
        if (tally != null) {
            audit(x, r.outputs(), r.lastPotential(), tally);
        }
        remember(r.lastPotential());
        return r.outputs();
    }

    /** While set, every {@link #forward} also checks its own inverse element by element ({@link #audit}). */
    @Override
    public void setReconstructionTally(ReconstructionTally t) { this.tally = t; }

    /**
     * Reconstructs {@code x} from the forward's output {@code y} and last potential {@code lastV} (Eq. 9-12) and adds
     * to {@code t}: the reconstructed inputs against {@code x}, the reconstructed previous potentials against the
     * forward's (a fresh forward on {@code x}), the step function the inverse recomputed against the
     * forward's ({@link #spikes}), and the inverse's smallest divisor and largest amplification.
     */
    public void audit(NDArray x, NDArray y, NDArray lastV, ReconstructionTally t) {
        Autograd.withRecording(false, () -> {
            try (NodeInverse.Reconstruction back = inverter.run(y, lastV, true); NDArray want = spikes(x);
                 NDArray differ = want.neq(back.spikes()); NDArray count = differ.countNonzero();
                 NDArray flips = count.toType(ai.djl.ndarray.types.DataType.INT64, false)) {
                t.addInputs(Tensors.toDoubles(x), Tensors.toDoubles(back.inputs()));
                try (Run again = run(x, true)) { // V^t of every step; the inverse returns V^{t-1} (0 before step 0)
                    double[] all = Tensors.toDoubles(again.potentials());
                    int perStep = (int) (all.length / x.getShape().get(0));
                    double[] previous = new double[all.length];
                    System.arraycopy(all, 0, previous, perStep, all.length - perStep);
                    t.addPotentials(previous, Tensors.toDoubles(back.previousPotentials()));
                }
                t.addSpikes(want.getShape().size(), flips.getLong());
                t.addConditioning(back.minDenominator(), back.maxAmplification());
            }
            return null;
        });
    }

    /**
     * Eq. 3-8 at step {@code t} of {@code x}, by groups, from the previous potential {@code v} (null before the first
     * step: {@code V^{-1} = 0}); records when recording is on. The step's input slice, the zero potential and the group
     * views are left to the caller's scope; {@link #spikes}, {@link #run} and {@link #runInPlace} differ only in what
     * they keep of each step.
     */
    private NodeEquations.Step step(NDArray x, long t, NDArray v, NodeEquations.Constants c, boolean keepMembranes) {
        int n = spec.groups();
        NDArray xt = x.get(t);
        NDArray previous = v == null ? xt.zerosLike() : v; // V^{-1} = 0
        return NodeEquations.forward(NodeEquations.groups(xt, n), NodeEquations.groups(previous, n), c, spec, keepMembranes);
    }

    /**
     * The step function {@code H(M - Vth)} (0/1, boolean) of the forward on {@code x} for every step and group,
     * {@code [T, B, ...]} with the groups joined along the last dimension; without recording.
     */
    public NDArray spikes(NDArray x) {
        long steps = x.getShape().get(0);
        return Autograd.withRecording(false, () -> {
            NDList hs = new NDList((int) steps);
            try (NDScope scope = new NDScope(); NodeEquations.Constants c = new NodeEquations.Constants(x, spec)) {
                NDArray v = null;
                for (long t = 0; t < steps; t++) {
                    try (NodeEquations.Step s = step(x, t, v, c, true)) {
                        hs.add(NodeEquations.join(s.membranes()).gte(c.vth));
                        v = NodeEquations.join(s.potentials());
                    }
                }
                NDArray out = NDArrays.stack(hs);
                NDScope.unregister(out);
                return out;
            }
        });
    }

    private void remember(NDArray v) {
        if (lastPotential != null) {
            lastPotential.close();
        }
        lastPotential = v.stopGradient();
        v.close();
    }

    /** The input of the most recent {@link #forward}, reconstructed from {@code y} and the potential it kept. */
    @Override
    public NDArray inverse(NDArray y, ForwardContext ctx) {
        if (lastPotential == null) {
            throw new IllegalStateException("the node's inverse needs the last potential of a forward: run forward first");
        }
        try (NodeInverse.Reconstruction r = inverter.run(y, lastPotential)) {
            return r.inputs().duplicate();
        }
    }

    /** Reconstructs inputs and previous potentials from outputs and the last potential (revnode Eq. 9-12). */
    public NodeInverse.Reconstruction inverse(NDArray y, NDArray lastV) {
        return inverter.run(y, lastV);
    }

    /**
     * Eq. 3-8 over all steps of {@code x [T, B, ..., L]}; records when recording is on. {@code keepPotentials} also
     * returns every step's potential (tests, the reconstruction check).
     */
    public Run run(NDArray x, boolean keepPotentials) {
        long steps = x.getShape().get(0);
        NDList ys = new NDList((int) steps);
        NDList vs = keepPotentials ? new NDList((int) steps) : null;
        try (NDScope scope = new NDScope(); NodeEquations.Constants c = new NodeEquations.Constants(x, spec)) {
            NDArray v = null;
            for (long t = 0; t < steps; t++) {
                try (NodeEquations.Step s = step(x, t, v, c, false)) {
                    ys.add(NodeEquations.join(s.outputs()));
                    v = NodeEquations.join(s.potentials());
                    if (keepPotentials) {
                        vs.add(v);
                    }
                }
            }
            NDArray out = NDArrays.stack(ys);
            NDArray all = keepPotentials ? NDArrays.stack(vs) : null;
            NDScope.unregister(out, v);
            if (all != null) {
                NDScope.unregister(all);
            }
            return new Run(out, v, all);
        }
    }

    /**
     * Eq. 3-8 over all steps of {@code x}, with recording off, writing each step's output {@code Y^t} over that
     * step's input {@code X^t} in {@code x}'s own storage, and returning the last potential {@code V^{T-1}}.
     *
     * <p>This is how a network keeps no node input: {@code X^t} is dead once {@code Y^t} exists (the inverse
     * recovers it from {@code Y} and the potentials), so its storage holds {@code Y}. {@code x} must be the caller's
     * own intermediate (e.g. a BatchNorm output that no recorded operation saved) and is the node's output afterwards.
     * Only one step's temporaries are live at a time.
     */
    public NDArray runInPlace(NDArray x) {
        long steps = x.getShape().get(0);
        return Autograd.withRecording(false, () -> {
            NDArray v = null;
            try (NodeEquations.Constants c = new NodeEquations.Constants(x, spec)) {
                for (long t = 0; t < steps; t++) {
                    NDArray next;
                    try (NDScope scope = new NDScope(); NodeEquations.Step s = step(x, t, v, c, false)) {
                        next = NodeEquations.join(s.potentials());
                        try (NDArray yt = NodeEquations.join(s.outputs())) {
                            x.set(new NDIndex(t), yt); // X^t is dead from here on: its storage takes Y^t
                        }
                        NDScope.unregister(next);
                    }
                    if (v != null) {
                        v.close();
                    }
                    v = next;
                }
            } catch (RuntimeException e) {
                if (v != null) {
                    v.close();
                }
                throw e;
            }
            return v;
        });
    }

    /**
     * The memory-saving backward of {@link #runInPlace}'s output {@code y} (or of any output with its last
     * potential), in place: each step's input gradient is written over that step's output gradient in {@code dy}
     * (dead once read), so no second full-size gradient is allocated. Returns a new handle on {@code dy}'s storage.
     */
    public NDArray reverseInPlace(NDArray y, NDArray lastV, NDArray dy, BackwardMode mode) {
        if (mode == BackwardMode.AUTOGRAD) {
            throw new IllegalArgumentException("reverseInPlace is the memory-saving backward: pick FORWARD_RERUN or INVERSE_GRADIENT");
        }
        return Autograd.withRecording(false, () -> reverse(y, lastV, dy, mode, true));
    }

    @Override
    public Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx) {
        if (!memorySaving) {
            return AutogradSegment.record(input, inputNeedsGradient, leaf -> {
                Run r = run(leaf, false);
                r.lastPotential().close();
                return r.outputs();
            });
        }
        Run r = Autograd.withRecording(false, () -> run(input, false));
        return new NodeTrace(r.outputs(), r.lastPotential(), inputNeedsGradient, savingMode);
    }

    /** What a memory-saving training forward keeps: the output and the last potential. */
    private final class NodeTrace implements Trace {
        private final NDArray out;
        private final NDArray lastV;
        private final boolean inputNeedsGradient;
        private final BackwardMode mode;

        NodeTrace(NDArray out, NDArray lastV, boolean inputNeedsGradient, BackwardMode mode) {
            this.out = out;
            this.lastV = lastV;
            this.inputNeedsGradient = inputNeedsGradient;
            this.mode = mode;
        }

        @Override
        public NDArray output() { return out; }

        @Override
        public NDArray backward(NDArray root, NDArray rootGrad) {
            if (root != out) {
                throw new IllegalStateException("a reversible node must be back-propagated from its own output");
            }
            if (!inputNeedsGradient) {
                return null; // the node has no parameters: nothing to do
            }
            return Autograd.withRecording(false, () -> reverse(out, lastV, rootGrad, mode));
        }

        @Override
        public void close() {
            out.close();
            lastV.close();
        }
    }

    /**
     * The memory-saving backward: walks the steps from last to first, reconstructing each from its output and
     * potential, and returns the input gradient {@code [T, B, ...]}.
     */
    NDArray reverse(NDArray y, NDArray lastV, NDArray dy, BackwardMode mode) {
        return reverse(y, lastV, dy, mode, false);
    }

    /** {@code inPlace}: write each step's input gradient over {@code dy}'s step and return a handle on {@code dy}. */
    private NDArray reverse(NDArray y, NDArray lastV, NDArray dy, BackwardMode mode, boolean inPlace) {
        long steps = y.getShape().get(0);
        long batch = y.getShape().get(1);
        long perSample = y.getShape().size() / (steps * batch);
        long rows = reverseChunkElements <= 0 ? batch : Math.max(1, Math.min(batch, reverseChunkElements / perSample));
        return reverseInRowChunks(y, lastV, dy, mode, inPlace, rows); // the whole batch is one chunk
    }

    /**
     * The step's work done {@code rows} samples at a time. Every step's temporaries (the reconstruction, the
     * membranes, the step's gradients: about ten arrays of one step's size) are then one chunk's size, and the
     * carried potential and its gradient are two {@code [B, ...]} arrays updated in place chunk by chunk, where the
     * whole-batch walk holds the old and new of each. The node is element-wise along the batch, so the result is the
     * same to the last bit (tested); {@code rows = B} is the whole batch per step.
     */
    private NDArray reverseInRowChunks(NDArray y, NDArray lastV, NDArray dy, BackwardMode mode, boolean inPlace, long rows) {
        int n = spec.groups();
        long steps = y.getShape().get(0);
        long batch = y.getShape().get(1);
        NDArray out = inPlace ? null : dy.zerosLike();
        try (NodeEquations.Constants c = new NodeEquations.Constants(y, spec);
             NDArray v = lastV.duplicate();  // V^t for every sample; chunk by chunk it becomes V^{t-1}
             NDArray gv = lastV.zerosLike()) { // the loss gradient of V^t (none flows into the last potential)
            for (long t = steps - 1; t >= 0; t--) {
                for (long b0 = 0; b0 < batch; b0 += rows) {
                    long b1 = Math.min(batch, b0 + rows);
                    NDIndex chunk = new NDIndex("{}:{}", b0, b1);
                    NDIndex stepChunk = new NDIndex("{}, {}:{}", t, b0, b1);
                    try (NDScope scope = new NDScope()) {
                        NDArray yt = y.get(stepChunk);
                        NDArray gyt = dy.get(stepChunk);
                        NDArray vt = v.get(chunk);
                        NDArray gvt = t == steps - 1 ? null : gv.get(chunk);
                        List<NDArray> yg = NodeEquations.groups(yt, n);
                        NDArray prevV;
                        NDArray prevGv;
                        NDArray dx;
                        try (NodeInverse.Step inv = inverter.step(yg, NodeEquations.groups(vt, n), c, t, false, b0)) {
                            prevV = NodeEquations.join(inv.previous());
                            if (mode == BackwardMode.FORWARD_RERUN) {
                                NDArray xt = NodeEquations.join(inv.inputs());
                                try (ForwardRerunBackward.Gradients g = ForwardRerunBackward.step(xt, prevV, gyt, gvt, c, spec)) {
                                    dx = g.input().duplicate();
                                    prevGv = g.previous().duplicate();
                                }
                            } else {
                                try (InverseGradientBackward.Gradients g = InverseGradientBackward.step(yg, inv.membranes(),
                                        NodeEquations.groups(gyt, n), gvt == null ? null : NodeEquations.groups(gvt, n), c, spec)) {
                                    dx = NodeEquations.join(g.inputs());
                                    prevGv = NodeEquations.join(g.previous());
                                }
                            }
                        }
                        // every read of this chunk's step is done: overwrite in place
                        v.set(chunk, prevV);
                        gv.set(chunk, prevGv);
                        (inPlace ? dy : out).set(stepChunk, dx);
                    }
                }
            }
        } catch (RuntimeException e) {
            if (out != null) {
                out.close();
            }
            throw e;
        }
        return inPlace ? dy.stopGradient() : out;
    }

    @Override
    public void close() {
        if (lastPotential != null) {
            lastPotential.close();
            lastPotential = null;
        }
        super.close();
    }
}
