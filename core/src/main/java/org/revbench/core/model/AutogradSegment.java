package org.revbench.core.model;

import ai.djl.ndarray.NDArray;
import org.revbench.core.engine.Autograd;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/** A segment trained by plain autograd: libtorch keeps whatever its graph needs. */
public final class AutogradSegment extends Segment {

    private final Layer body;

    public AutogradSegment(Layer body) {
        this.body = addChild("body", body);
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        return body.forward(x, ctx);
    }

    @Override
    public Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx) {
        return record(input, inputNeedsGradient, leaf -> body.forward(leaf, ctx));
    }

    /**
     * Runs {@code body} with recording on over a fresh leaf cut from the previous segment's graph, so this graph
     * ends at the leaf and its input gradient can be read back and handed to the previous segment.
     */
    public static Trace record(NDArray input, boolean inputNeedsGradient, java.util.function.UnaryOperator<NDArray> body) {
        NDArray leaf = inputNeedsGradient ? Autograd.detachedLeaf(input) : input.stopGradient();
        NDArray out = Autograd.withRecording(true, () -> body.apply(leaf));
        return new Trace() {
            @Override
            public NDArray output() { return out; }

            @Override
            public NDArray backward(NDArray root, NDArray rootGrad) {
                Autograd.backward(root, rootGrad);
                return inputNeedsGradient ? Autograd.gradient(leaf) : null;
            }

            @Override
            public void close() {
                out.close();
                leaf.close();
            }
        };
    }
}
