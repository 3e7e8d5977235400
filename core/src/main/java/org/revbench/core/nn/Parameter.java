package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.engine.Tensors;

/**
 * A named tensor owned by a layer: a trainable weight, or a buffer such as BatchNorm's running statistics
 * (buffers are not counted as parameters, as in PyTorch).
 */
public final class Parameter implements AutoCloseable {

    private final String name;
    private final Shape shape;
    private final boolean trainable;
    private final Initializer initializer;
    private NDArray array;

    public Parameter(String name, Shape shape, boolean trainable, Initializer initializer) {
        this.name = name;
        this.shape = shape;
        this.trainable = trainable;
        this.initializer = initializer;
    }

    /** Allocates and fills the tensor (the DJL-style "initialise" step of the layer lifecycle). */
    void initialize(NDManager manager, DataType dtype, java.util.Random random) {
        if (array != null) {
            array.close();
        }
        double[] values = initializer.values(shape, random);
        array = Tensors.fromDoubles(manager, values, shape, dtype);
        if (trainable) {
            array.setRequiresGradient(true);
        }
    }

    /** Replaces the values (same shape), e.g. to copy weights between two networks in a test. */
    public void setValues(double[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(name + ": expected " + shape.size() + " values, got " + values.length);
        }
        NDArray fresh = Tensors.fromDoubles(array.getManager(), values, shape, array.getDataType());
        if (trainable) {
            fresh.setRequiresGradient(true);
        }
        array.close();
        array = fresh;
    }

    public String name() { return name; }

    public Shape shape() { return shape; }

    public boolean trainable() { return trainable; }

    public long size() { return shape.size(); }

    public boolean isInitialized() { return array != null; }

    /** The tensor; fails clearly when the layer was never initialised. */
    public NDArray array() {
        if (array == null) {
            throw new IllegalStateException("parameter " + name + " used before initialize()");
        }
        return array;
    }

    @Override
    public void close() {
        if (array != null) {
            array.close();
            array = null;
        }
    }

    @Override
    public String toString() {
        return name + shape + (trainable ? "" : " (buffer)");
    }
}
