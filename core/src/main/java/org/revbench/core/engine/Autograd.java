package org.revbench.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * The few autograd operations this project needs, taken straight from libtorch rather than through DJL's
 * GradientCollector.
 *
 * <p>Why not the collector: only one may be open per process, a new one does not zero gradients, and its
 * {@code backward} allocates a ones tensor it never frees. A reversible stage needs vector-Jacobian products
 * ({@link #backward(NDArray, NDArray)}) and regions with recording switched off, which the collector cannot
 * express.
 */
public final class Autograd {

    private Autograd() {}

    /** Whether libtorch records operations on this thread. */
    public static boolean isRecording() {
        Engines.start();
        return JniUtils.isGradMode();
    }

    /** Switches recording on or off for this thread and returns the previous state. */
    public static boolean setRecording(boolean on) {
        Engines.start();
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(on);
        return before;
    }

    /** Runs {@code body} with recording set to {@code on}, restoring the previous state afterwards. */
    public static <T> T withRecording(boolean on, Supplier<T> body) {
        boolean before = setRecording(on);
        try {
            return body.get();
        } finally {
            setRecording(before);
        }
    }

    /**
     * Vector-Jacobian product: back-propagates {@code grad} (same shape as {@code output}) through the graph
     * that produced {@code output}, accumulating into the {@code .grad} of every leaf that requires it.
     * The graph is freed afterwards.
     */
    public static void backward(NDArray output, NDArray grad) {
        JniUtils.backward((PtNDArray) output, (PtNDArray) grad, false, false);
    }

    /** Back-propagates a scalar (a loss) with seed gradient one. */
    public static void backwardScalar(NDArray scalar) {
        try (NDArray one = Tensors.constant(scalar.getManager(), 1.0, scalar.getDataType())) {
            backward(scalar, one);
        }
    }

    /** A new handle on the accumulated gradient of a leaf, or null when none has been accumulated. */
    public static NDArray gradient(NDArray leaf) {
        return JniUtils.getGradient((PtNDArray) leaf);
    }

    /** Sets the accumulated gradient of a leaf to zero in place. */
    public static void zeroGradient(NDArray leaf) {
        JniUtils.zeroGrad((PtNDArray) leaf);
    }

    /** A new tensor sharing data with {@code x} but cut from its graph (a fresh leaf). */
    public static NDArray detach(NDArray x) {
        return x.stopGradient();
    }

    /** A fresh leaf that shares data with {@code x} and requires gradient. */
    public static NDArray detachedLeaf(NDArray x) {
        NDArray leaf = x.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }
}
