package org.revbench.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch operations that DJL's public API offers only in a less exact form. Here, as everywhere the engine's own
 * classes are touched, so that layers stay on DJL's {@code NDArray}.
 */
public final class Ops {

    private Ops() {}

    /**
     * libtorch's {@code layer_norm} over the trailing {@code normalizedShape}, with {@code eps} passed as a double: DJL's
     * {@code LayerNorm.layerNorm} takes a float {@code eps}, which rounds 1e-6 to 9.99999997e-7 and moves a float64
     * result by about 3e-12 relative. {@code gamma} and {@code beta} have {@code normalizedShape}. Recorded when
     * recording is on.
     */
    public static NDArray layerNorm(NDArray x, Shape normalizedShape, NDArray gamma, NDArray beta, double eps) {
        return JniUtils.layerNorm((PtNDArray) x, normalizedShape, (PtNDArray) gamma, (PtNDArray) beta, eps);
    }
}
