package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * A reversible stage together with the ordinary layers that feed it (a stem, or the down-sampling between two
 * stages), trained so that only the stage's output is kept.
 *
 * <p>Why: trained as a separate autograd segment, the prelude would keep its whole graph (at full resolution, a
 * neuron's saved tensors, pooling and BN inputs) and its output (the stage input) until backward reaches it, while
 * every later stage runs. Here the prelude runs with recording off; in backward the stage hands back the gradient
 * of its input, and the prelude is recomputed from its own input (the previous stage's output, which that stage keeps
 * anyway) with recording on, in {@link ForwardContext.Mode#RECOMPUTE} (batch statistics, running statistics
 * untouched), and back-propagated. The prelude must be deterministic (no random operations).
 */
public final class PreludedStage extends PreludedSegment<Segment> {

    /** {@code stage} must be {@link Invertible}. */
    public PreludedStage(Layer prelude, Segment stage) {
        super(prelude, "stage", stage);
    }

    public Segment stage() { return body(); }

    @Override
    public Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx) {
        Layer prelude = prelude();
        Segment stage = body();
        if (!memorySaving()) {
            // plain autograd: the prelude's graph is kept, and the stage trains through its own (plain) trace, so
            // both modes run the stage the same way (its per-block seeds included)
            NDArray leaf = inputNeedsGradient ? Autograd.detachedLeaf(input) : input.stopGradient();
            NDArray t = Autograd.withRecording(true, () -> prelude.forward(leaf, ctx));
            Trace inner = stage.forwardTrain(t, true, ctx);
            return throughPrelude(inner, dt -> {
                Autograd.backward(t, dt);
                return inputNeedsGradient ? Autograd.gradient(leaf) : null;
            }, () -> {
                t.close();
                leaf.close();
            });
        }
        Trace inner;
        try (NDArray t = Autograd.withRecording(false, () -> prelude.forward(input, ctx))) {
            inner = stage.forwardTrain(t, true, ctx); // memory-saving: the stage does not keep t
        }
        ForwardContext recompute = ctx.withMode(ForwardContext.Mode.RECOMPUTE);
        return throughPrelude(inner, dt -> Autograd.withRecording(true, () -> {
            try (NDArray leaf = inputNeedsGradient ? Autograd.detachedLeaf(input) : input.stopGradient();
                 NDArray t = prelude.forward(leaf, recompute)) {
                Autograd.backward(t, dt);
                return inputNeedsGradient ? Autograd.gradient(leaf) : null;
            }
        }), () -> {});
    }

    /**
     * The stage's trace, then the prelude's backward: {@code preludeBackward} takes the gradient of the stage input
     * (closed after it) and returns the input's gradient; {@code closePrelude} frees what the prelude kept.
     */
    private static Trace throughPrelude(Trace inner, UnaryOperator<NDArray> preludeBackward, Runnable closePrelude) {
        return new Trace() {
            @Override
            public NDArray output() { return inner.output(); }

            @Override
            public NDArray backward(NDArray root, NDArray rootGrad) {
                try (NDArray dt = inner.backward(root, rootGrad)) {
                    return preludeBackward.apply(dt);
                }
            }

            @Override
            public void close() {
                inner.close();
                closePrelude.run();
            }
        };
    }
}
