package org.revbench.core.model;

import ai.djl.ndarray.NDArray;
import org.revbench.core.engine.Autograd;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * Activation checkpointing (Chen et al., 2016, "Training deep nets with sublinear memory cost"): the standard
 * alternative to reversibility, which none of the reversible papers compares against. The training forward runs the
 * body with recording off and keeps nothing but a reference to its input (the previous segment's output, which that
 * segment's trace owns and keeps anyway); backward recomputes the body from that input with recording on, in
 * {@link ForwardContext.Mode#RECOMPUTE} (batch statistics, running statistics untouched), and back-propagates through
 * the recomputed graph. A network cut into n / k checkpointed segments of k blocks keeps n / k segment boundaries and
 * one segment's graph at a time: k = sqrt(n) gives memory in O(sqrt(n)) for one extra forward.
 *
 * <p>The body must be deterministic (no random operations), and a checkpointed segment must not be a network's last:
 * its output carries no graph, so the loss must come from a later segment (the head).
 */
public final class CheckpointedSegment extends Segment implements MemorySaving {

    private final Layer body;
    private boolean memorySaving = true;

    public CheckpointedSegment(Layer body) {
        this.body = addChild("body", body);
    }

    @Override
    public void setMemorySaving(boolean on) { memorySaving = on; }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        return body.forward(x, ctx);
    }

    @Override
    public Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx) {
        if (!memorySaving) {
            return AutogradSegment.record(input, inputNeedsGradient, leaf -> body.forward(leaf, ctx));
        }
        NDArray out = Autograd.withRecording(false, () -> body.forward(input, ctx));
        ForwardContext recompute = ctx.withMode(ForwardContext.Mode.RECOMPUTE);
        return new Trace() {
            @Override
            public NDArray output() { return out; }

            @Override
            public NDArray backward(NDArray root, NDArray rootGrad) {
                if (root != out) {
                    throw new IllegalStateException("a checkpointed segment's output carries no graph: the loss must"
                            + " come from a later segment");
                }
                out.close(); // the next segment is done with it; the recomputed output replaces it
                return Autograd.withRecording(true, () -> {
                    try (NDArray leaf = inputNeedsGradient ? Autograd.detachedLeaf(input) : input.stopGradient();
                         NDArray again = body.forward(leaf, recompute)) {
                        Autograd.backward(again, rootGrad);
                        return inputNeedsGradient ? Autograd.gradient(leaf) : null;
                    }
                });
            }

            @Override
            public void close() {
                out.close();
            }
        };
    }
}
