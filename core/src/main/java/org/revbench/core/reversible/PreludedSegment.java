package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * Ordinary layers (the prelude: a stem, the down-sampling between two stages, conv -> BN) feeding an invertible
 * segment (a reversible stage, the reversible node paper's node). Forward, inverse and the memory-saving switch are
 * the same for every such pair: the prelude is not invertible, so the inverse gives back the invertible segment's
 * input, the prelude's output ({@link #inverseTarget}). How a training forward saves memory is each kind's own
 * ({@link PreludedStage} recomputes the prelude in backward; the reversible node paper's unit keeps the prelude's graph
 * and runs the node in place over its output).
 */
public abstract class PreludedSegment<S extends Segment> extends Segment implements Invertible {

    private final Layer prelude;
    private final S body;
    private final Invertible invertible;
    private boolean memorySaving = true;

    /** Registers {@code prelude}, then {@code body} (which must be {@link Invertible}) under {@code bodyName}. */
    protected PreludedSegment(Layer prelude, String bodyName, S body) {
        if (!(body instanceof Invertible)) {
            throw new IllegalArgumentException("the " + bodyName + " after a prelude must be invertible: " + body.getClass());
        }
        this.prelude = addChild("prelude", prelude);
        this.body = addChild(bodyName, body);
        this.invertible = (Invertible) body;
    }

    public final Layer prelude() { return prelude; }

    /** The invertible segment after the prelude. */
    protected final S body() { return body; }

    /** Whether training uses the memory-saving forward (default) or plain autograd. */
    protected final boolean memorySaving() { return memorySaving; }

    @Override
    public final NDArray forward(NDArray x, ForwardContext ctx) {
        try (NDArray t = prelude.forward(x, ctx)) {
            return body.forward(t, ctx);
        }
    }

    /** The prelude's output, the invertible segment's input, which {@link #inverse} reconstructs. */
    @Override
    public final NDArray inverseTarget(NDArray x, ForwardContext ctx) {
        return prelude.forward(x, ctx);
    }

    @Override
    public final NDArray inverse(NDArray y, ForwardContext ctx) {
        return invertible.inverse(y, ctx); // the prelude's output: the prelude itself is not invertible
    }

    @Override
    public final int blockCount() { return invertible.blockCount(); }

    @Override
    public final void setMemorySaving(boolean on) {
        memorySaving = on;
        invertible.setMemorySaving(on);
    }
}
