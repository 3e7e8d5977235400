package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import java.util.function.BinaryOperator;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.Segment;

/**
 * What a memory-saving reversible segment keeps from its training forward: its output, nothing else. Backward
 * hands the output and its gradient to the segment's own reverse walk (which reconstructs, recomputes with
 * recording on and returns the input gradient), so every reversible segment shares the same bookkeeping.
 */
public final class ReversibleTrace implements Segment.Trace {

    private final NDArray out;
    private final boolean inputNeedsGradient;
    private final BinaryOperator<NDArray> reverse;

    /**
     * @param out the segment output, computed with recording off; owned by the trace
     * @param reverse {@code (y, dy) -> dx}: the segment's backward; may overwrite {@code y} and {@code dy} in
     *     place (both are dead once the segment input is reconstructed) and may return {@code dy} itself as
     *     {@code dx}; must not close them
     */
    public ReversibleTrace(NDArray out, boolean inputNeedsGradient, BinaryOperator<NDArray> reverse) {
        this.out = out;
        this.inputNeedsGradient = inputNeedsGradient;
        this.reverse = reverse;
    }

    @Override
    public NDArray output() { return out; }

    @Override
    public NDArray backward(NDArray root, NDArray rootGrad) {
        if (root != out) {
            throw new IllegalStateException("a reversible segment must be back-propagated from its own output");
        }
        NDArray dx = Autograd.withRecording(true, () -> reverse.apply(out, rootGrad));
        if (!inputNeedsGradient) {
            if (dx != rootGrad) {
                dx.close();
            }
            return null;
        }
        // the caller closes rootGrad: hand back a handle of our own when the gradient was computed in its storage
        return dx == rootGrad ? Autograd.detach(dx) : dx;
    }

    @Override
    public void close() {
        out.close();
    }
}
