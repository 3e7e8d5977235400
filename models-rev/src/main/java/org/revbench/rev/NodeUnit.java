package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.AutogradSegment;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;
import org.revbench.core.reversible.PreludedSegment;

/**
 * An ordinary layer stack (conv -> BN [-> pool], or a linear layer) followed by a reversible node, trained so that the
 * node keeps only its last potential.
 *
 * <p>Memory-saving training: the prelude runs with recording on (its graph keeps what it always keeps: its input, the
 * BN input), then the node runs with recording off over the prelude's output in place ({@link InPlaceNodeRun}): the
 * node input is never kept, its storage holds the node output, which the next layer keeps anyway. Backward: the node's
 * in-place memory-saving backward gives the gradient of the prelude's output, which is back-propagated through the
 * prelude's graph. With memory saving off, prelude and node are one plain autograd graph.
 */
public final class NodeUnit extends PreludedSegment<ReversibleNeuronNode> {

    public NodeUnit(Layer prelude, ReversibleNeuronNode node) {
        super(prelude, "node", node);
    }

    public ReversibleNeuronNode node() { return body(); }

    @Override
    public Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx) {
        Layer prelude = prelude();
        ReversibleNeuronNode node = body();
        if (!memorySaving()) {
            return AutogradSegment.record(input, inputNeedsGradient, leaf -> {
                try (NDArray a = prelude.forward(leaf, ctx); ReversibleNeuronNode.Run r = node.run(a, false)) {
                    return r.outputs().reshape(r.outputs().getShape()); // a recorded view: the Run closes its own handle
                }
            });
        }
        BackwardMode mode = node.backwardMode();
        NDArray leaf = inputNeedsGradient ? Autograd.detachedLeaf(input) : input.stopGradient();
        InPlaceNodeRun run;
        try {
            run = InPlaceNodeRun.over(node, Autograd.withRecording(true, () -> prelude.forward(leaf, ctx)));
        } catch (RuntimeException e) {
            leaf.close();
            throw e;
        }
        return new Trace() {
            @Override
            public NDArray output() { return run.output(); }

            @Override
            public NDArray backward(NDArray root, NDArray rootGrad) {
                if (root != run.output()) {
                    throw new IllegalStateException("a node unit must be back-propagated from its own output");
                }
                run.backward(rootGrad, mode);
                return inputNeedsGradient ? Autograd.gradient(leaf) : null;
            }

            @Override
            public void close() {
                run.close();
                leaf.close();
            }
        };
    }
}
