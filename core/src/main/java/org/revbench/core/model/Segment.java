package org.revbench.core.model;

import ai.djl.ndarray.NDArray;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * One piece of a {@link SegmentedNetwork}: either ordinary autograd (stem, down-sampling, head) or a
 * memory-saving reversible stage. A segment's training forward returns a {@link Trace} that alone knows how
 * to back-propagate through it, so the network never asks which kind it holds.
 */
public abstract class Segment extends Layer {

    /** What a training forward leaves behind for backward. */
    public interface Trace extends AutoCloseable {

        /** The segment's output. Owned by the trace. */
        NDArray output();

        /**
         * Back-propagates {@code rootGrad} from {@code root} (the output itself, or a scalar loss computed from
         * it by recorded ops), accumulating parameter gradients, and returns the gradient of the segment's
         * input (null when the input needs none). Called once; frees what the forward kept.
         *
         * <p>A memory-saving segment may overwrite {@code root} (its own output) and {@code rootGrad} in place:
         * the caller must not read either afterwards. The caller still owns and closes {@code rootGrad}.
         */
        NDArray backward(NDArray root, NDArray rootGrad);

        @Override
        void close();
    }

    /**
     * Training forward. {@code input} is not closed; {@code inputNeedsGradient} is false for the first segment
     * (data needs no gradient).
     */
    public abstract Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx);
}
