package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.engine.Tensors;
import org.revbench.core.reference.ReferenceArrays;

/** Helpers shared by the node's tests. */
final class NodeTesting {

    private NodeTesting() {}

    static NDArray gaussian(NDManager m, long seed, double mean, double std, DataType dtype, long... shape) {
        double[] v = ReferenceArrays.gaussian(seed, Math.toIntExact(new Shape(shape).size()), mean, std);
        return Tensors.fromDoubles(m, v, new Shape(shape), dtype);
    }

    /** {@code a} from step 1 on equals {@code b} up to step T-2, with zeros first: the potentials shifted by one step. */
    static double[] shiftedWithZeros(double[] potentials, int perStep) {
        double[] out = new double[potentials.length];
        System.arraycopy(potentials, 0, out, perStep, potentials.length - perStep);
        return out;
    }
}
