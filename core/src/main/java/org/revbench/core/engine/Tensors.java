package org.revbench.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;

/**
 * Creating tensors from Java data safely.
 *
 * <p>Why this exists (docs/architecture.md, Engine notes): DJL's {@code create(...)} wraps a Java direct buffer
 * with {@code torch::from_blob}; the data belongs to the Java object. If such a tensor is captured by an autograd
 * graph and its Java handle is closed, backward reads freed memory and gradients are silently wrong. Every
 * tensor made here is therefore copied into libtorch-owned storage, which libtorch's reference counting keeps
 * alive as long as any graph needs it. The same goes for scalars: never pass a Java number to a recorded op;
 * use {@link #constant}.
 *
 * <p>Also: DJL's {@code NDArray.duplicate()} clones under libtorch's NoGradGuard, so its result is cut from the
 * graph. Use it for buffers and gradients, never inside a recorded computation.
 */
public final class Tensors {

    private Tensors() {}

    /** A 0-d tensor holding {@code value} exactly (in float64, without a float round trip), owned by libtorch. */
    public static NDArray constant(NDManager manager, double value, DataType dtype) {
        try (NDArray blob = dtype == DataType.FLOAT64 ? manager.create(value) : manager.create((float) value)) {
            NDArray typed = dtype == DataType.FLOAT64 || dtype == DataType.FLOAT32 ? blob : blob.toType(dtype, false);
            NDArray owned = owned(typed);
            if (typed != blob) {
                typed.close();
            }
            return owned;
        }
    }

    /** A constant like {@code like} (same manager and dtype). */
    public static NDArray constant(NDArray like, double value) {
        return constant(like.getManager(), value, like.getDataType());
    }

    /** A libtorch-owned tensor of the given shape from row-major doubles, converted to {@code dtype}. */
    public static NDArray fromDoubles(NDManager manager, double[] data, Shape shape, DataType dtype) {
        if (dtype == DataType.FLOAT32) {
            // rounded here, as libtorch's conversion rounds (to nearest, ties to even): half the bytes through DJL's
            // buffer, which made a model's initialisation a third slower
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            return fromFloats(manager, f, shape);
        }
        try (NDArray blob = manager.create(data, shape)) {
            if (dtype == DataType.FLOAT64) {
                return owned(blob);
            }
            return blob.toType(dtype, true); // a conversion copies into libtorch storage
        }
    }

    /** A libtorch-owned float tensor from row-major floats. */
    public static NDArray fromFloats(NDManager manager, float[] data, Shape shape) {
        try (NDArray blob = manager.create(data, shape)) {
            return owned(blob);
        }
    }

    /** A libtorch-owned int64 tensor (class labels). */
    public static NDArray fromLongs(NDManager manager, long[] data, Shape shape) {
        try (NDArray blob = manager.create(data, shape)) {
            return owned(blob);
        }
    }

    /**
     * A copy of {@code x} in libtorch-owned storage (libtorch's clone), e.g. of a tensor DJL made over a Java
     * buffer, which may be freed while a graph still needs it. Same manager, dtype and shape.
     */
    public static NDArray owned(NDArray x) {
        return JniUtils.clone((PtNDArray) x);
    }

    /**
     * {@code target[:, :, ...] = source}: overwrites every element of {@code target} (rank 1 or more) in place with
     * libtorch's {@code index_put_}, so that its storage, identity and requires-grad flag stay. {@code source} has
     * {@code target}'s shape. Whether the copy is recorded is the caller's choice (see {@link Autograd}).
     */
    public static void overwrite(NDArray target, NDArray source) {
        long[] dims = target.getShape().getShape();
        long[] from = new long[dims.length];
        long[] step = new long[dims.length];
        Arrays.fill(step, 1);
        JniUtils.indexSet((PtNDArray) target, (PtNDArray) source, from, dims.clone(), step);
    }

    /** Row-major copy of any floating tensor as doubles. */
    public static double[] toDoubles(NDArray x) {
        if (x.getDataType() == DataType.FLOAT64) {
            return x.toDoubleArray();
        }
        try (NDArray d = x.toType(DataType.FLOAT64, true)) {
            return d.toDoubleArray();
        }
    }
}
