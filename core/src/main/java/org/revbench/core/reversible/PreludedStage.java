package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
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
public final class PreludedStage extends Segment implements Invertible {

    private final Layer prelude;
    private final Segment stage;
    private final Invertible invertible;
    private boolean memorySaving = true;

    /** {@code stage} must be {@link Invertible}. */
    public PreludedStage(Layer prelude, Segment stage) {
        if (!(stage instanceof Invertible)) {
            throw new IllegalArgumentException("the stage after a prelude must be invertible: " + stage.getClass());
        }
        this.prelude = addChild("prelude", prelude);
        this.stage = addChild("stage", stage);
        this.invertible = (Invertible) stage;
    }

    public Layer prelude() { return prelude; }

    public Segment stage() { return stage; }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        try (NDArray t = prelude.forward(x, ctx)) {
            return stage.forward(t, ctx);
        }
    }

    /** The stage's input reconstructed from its output (the prelude itself is not invertible). */
    @Override
    public NDArray inverse(NDArray y, ForwardContext ctx) {
        return invertible.inverse(y, ctx);
    }

    @Override
    public int blockCount() { return invertible.blockCount(); }

    @Override
    public void setMemorySaving(boolean on) {
        memorySaving = on;
        invertible.setMemorySaving(on);
    }

    @Override
    public Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx) {
        if (!memorySaving) {
            // plain autograd: the prelude's graph is kept, and the stage trains through its own (plain) trace, so
            // both modes run the stage the same way (its per-block seeds included)
            NDArray leaf = inputNeedsGradient ? Autograd.detachedLeaf(input) : input.stopGradient();
            NDArray t = Autograd.withRecording(true, () -> prelude.forward(leaf, ctx));
            Trace inner = stage.forwardTrain(t, true, ctx);
            return new Trace() {
                @Override
                public NDArray output() { return inner.output(); }

                @Override
                public NDArray backward(NDArray root, NDArray rootGrad) {
                    try (NDArray dt = inner.backward(root, rootGrad)) {
                        Autograd.backward(t, dt);
                        return inputNeedsGradient ? Autograd.gradient(leaf) : null;
                    }
                }

                @Override
                public void close() {
                    inner.close();
                    t.close();
                    leaf.close();
                }
            };
        }
        Trace inner;
        try (NDArray t = Autograd.withRecording(false, () -> prelude.forward(input, ctx))) {
            inner = stage.forwardTrain(t, true, ctx); // memory-saving: the stage does not keep t
        }
        ForwardContext recompute = ctx.withMode(ForwardContext.Mode.RECOMPUTE);
        return new Trace() {
            @Override
            public NDArray output() { return inner.output(); }

            @Override
            public NDArray backward(NDArray root, NDArray rootGrad) {
                try (NDArray dt = inner.backward(root, rootGrad)) {
                    return Autograd.withRecording(true, () -> {
                        try (NDArray leaf = inputNeedsGradient ? Autograd.detachedLeaf(input) : input.stopGradient();
                             NDArray t = prelude.forward(leaf, recompute)) {
                            Autograd.backward(t, dt);
                            return inputNeedsGradient ? Autograd.gradient(leaf) : null;
                        }
                    });
                }
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
