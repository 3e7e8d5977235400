package org.revbench.rev;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.rev.NodeTesting.gaussian;
import static org.revbench.core.testing.ArrayChecks.maxAbs;
import static org.revbench.core.testing.ArrayChecks.relDiff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.Conv2d;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Parameter;

/**
 * Both memory-saving backwards (forward re-run, the reversible node paper's inverse gradient) against plain autograd through Eq. 3-8,
 * in float64: a conv in front of the node (so there are parameter gradients), a fixed random cotangent on the node's
 * output; compared are the gradient of the data, of the conv weight and of the node's input, to 1e-9 relative.
 */
class NodeGradientTest extends EngineTestBase {

    static final double TOL = 1e-9;

    /** {data grad, conv weight grad, node input grad}. */
    static List<double[]> gradients(Conv2d conv, ReversibleNeuronNode node, NDArray data, NDArray cotangent,
                                    BackwardMode mode, int t) {
        node.setBackwardMode(mode);
        List<Parameter> ps = conv.allParameters();
        ps.forEach(p -> Autograd.zeroGradient(p.array()));
        ForwardContext ctx = ForwardContext.train(t);
        List<double[]> out = new ArrayList<>();
        boolean before = Autograd.setRecording(true);
        try (NDArray leaf = Autograd.detachedLeaf(data); NDArray x = conv.forward(leaf, ctx);
             Segment.Trace tr = node.forwardTrain(x, true, ctx); NDArray dx = tr.backward(tr.output(), cotangent)) {
            Autograd.backward(x, dx);
            try (NDArray g = Autograd.gradient(leaf)) {
                out.add(Tensors.toDoubles(g));
            }
            try (NDArray g = Autograd.gradient(ps.get(0).array())) {
                out.add(Tensors.toDoubles(g));
            }
            out.add(Tensors.toDoubles(dx));
        } finally {
            Autograd.setRecording(before);
        }
        ps.forEach(p -> Autograd.zeroGradient(p.array()));
        return out;
    }

    static void compare(ReversibleNodeSpec spec, int t, long seed) {
        compare(spec, t, seed, ReversibleNeuronNode.DEFAULT_REVERSE_CHUNK_ELEMENTS);
    }

    /** {@code chunkElements}: the node's {@link ReversibleNeuronNode#setReverseChunkElements}. */
    static void compare(ReversibleNodeSpec spec, int t, long seed, long chunkElements) {
        ReversibleNeuronNode node = new ReversibleNeuronNode(spec);
        node.setReverseChunkElements(chunkElements);
        try (Conv2d conv = Conv2d.of(2, 4, 3, 1, 1);
             NDArray data = gaussian(manager, seed, 0.5, 1.0, DataType.FLOAT64, t, 3, 2, 6, 8);
             NDArray cot = gaussian(manager, seed + 1, 0.0, 1.0, DataType.FLOAT64, t, 3, 4, 6, 8)) {
            conv.initialize(manager, DataType.FLOAT64, new Random(seed));
            List<double[]> plain = gradients(conv, node, data, cot, BackwardMode.AUTOGRAD, t);
            String[] names = {"data", "conv weight", "node input"};
            for (BackwardMode mode : new BackwardMode[] {BackwardMode.FORWARD_RERUN, BackwardMode.INVERSE_GRADIENT}) {
                List<double[]> saving = gradients(conv, node, data, cot, mode, t);
                for (int i = 0; i < names.length; i++) {
                    double rel = relDiff(saving.get(i), plain.get(i));
                    System.out.printf(Locale.ROOT, "%s T=%d %s: %s gradient rel diff %.2e (scale %.2e)%n",
                            spec, t, mode, names[i], rel, maxAbs(plain.get(i)));
                    assertTrue(maxAbs(plain.get(i)) > 0, names[i] + " gradient is zero: nothing tested");
                    assertTrue(rel <= TOL, spec + " T=" + t + " " + mode + ": " + names[i] + " gradient differs by " + rel);
                }
            }
        }
    }

    @Test
    void twoGroupsSeveralSteps() {
        for (int t : new int[] {1, 3, 6}) {
            compare(ReversibleNodeSpec.defaults(), t, 10 + t);
        }
    }

    @Test
    void fourGroupsSeveralSteps() {
        for (int t : new int[] {1, 3, 6}) {
            compare(ReversibleNodeSpec.defaults().withGroups(4), t, 20 + t);
        }
    }

    @Test
    void otherSettingsDetachedResetAndOtherSurrogate() {
        compare(ReversibleNodeSpec.defaults().withDetachReset(true), 4, 40);
        compare(ReversibleNodeSpec.defaults().withGroups(8).withTau(1.5).withAlpha(0.5).withBeta(0.7)
                .withSurrogate(org.revbench.core.neuron.Surrogates.sigmoid(4)), 3, 50);
    }

    /**
     * The backward in chunks of samples (one step of one sample is 4 x 6 x 8 = 192 elements here): one sample at a
     * time, and two then one (a short last chunk), against autograd and, bit for bit, against the whole batch.
     */
    @Test
    void chunkedBackwardEqualsAutogradAndTheWholeBatch() {
        for (long chunk : new long[] {192, 400}) {
            compare(ReversibleNodeSpec.defaults(), 5, 60, chunk);
            compare(ReversibleNodeSpec.defaults().withGroups(4), 3, 61, chunk);
        }
        int t = 4;
        try (Conv2d conv = Conv2d.of(2, 4, 3, 1, 1);
             NDArray data = gaussian(manager, 70, 0.5, 1.0, DataType.FLOAT64, t, 3, 2, 6, 8);
             NDArray cot = gaussian(manager, 71, 0.0, 1.0, DataType.FLOAT64, t, 3, 4, 6, 8)) {
            conv.initialize(manager, DataType.FLOAT64, new Random(70));
            for (BackwardMode mode : new BackwardMode[] {BackwardMode.FORWARD_RERUN, BackwardMode.INVERSE_GRADIENT}) {
                ReversibleNeuronNode whole = new ReversibleNeuronNode(ReversibleNodeSpec.defaults());
                whole.setReverseChunkElements(0);
                ReversibleNeuronNode chunked = new ReversibleNeuronNode(ReversibleNodeSpec.defaults());
                chunked.setReverseChunkElements(192);
                List<double[]> a = gradients(conv, whole, data, cot, mode, t);
                List<double[]> b = gradients(conv, chunked, data, cot, mode, t);
                for (int i = 0; i < a.size(); i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(i), b.get(i), 0.0, mode + " gradient " + i);
                }
            }
        }
    }
}
