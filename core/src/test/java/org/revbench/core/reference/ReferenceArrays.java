package org.revbench.core.reference;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small float64 helpers for the ND4J reference ("oracle") implementation.
 *
 * <p>Every array the reference creates goes through here so that it is {@link DataType#DOUBLE} and row-major
 * ('c' order). ND4J's default data type is FLOAT: never call {@code Nd4j.zeros(shape)} /
 * {@code Nd4j.create(shape)} without a data type in the reference code.
 *
 * <p>Plain {@code double[]} in row-major order with a {@code long[]} shape is the exchange format between this
 * oracle and the DJL implementation: both sides load the same numbers.
 */
public final class ReferenceArrays {

    private ReferenceArrays() {}

    /** A float64 'c'-order array holding a copy of {@code data} with the given shape. */
    public static INDArray fromDoubles(double[] data, long... shape) {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values but shape "
                    + Arrays.toString(shape) + " needs " + n);
        }
        return Nd4j.create(data.clone(), shape.clone(), DataType.DOUBLE);
    }

    /** All values of {@code a} in row-major order, as float64 (works for views). */
    public static double[] toDoubles(INDArray a) {
        INDArray c = a.castTo(DataType.DOUBLE).dup('c');
        double[] out = c.data().asDouble();
        if (out.length != c.length()) {
            out = Arrays.copyOf(out, (int) c.length());
        }
        return out;
    }

    /** A float64 array of zeros. */
    public static INDArray zeros(long... shape) {
        return Nd4j.zeros(DataType.DOUBLE, shape);
    }

    /** {@code n} Gaussian values, mean {@code mean}, standard deviation {@code std}, from {@link Random}(seed). */
    public static double[] gaussian(long seed, int n, double mean, double std) {
        Random r = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + std * r.nextGaussian();
        }
        return out;
    }

    /** A seeded float64 Gaussian array (independent of ND4J's own random generator). */
    public static INDArray gaussian(long seed, double mean, double std, long... shape) {
        return fromDoubles(gaussian(seed, Math.toIntExact(numel(shape)), mean, std), shape);
    }

    /** Largest absolute element-wise difference; the shapes must be equal. */
    public static double maxAbsDiff(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("shapes differ: " + Arrays.toString(a.shape()) + " vs "
                    + Arrays.toString(b.shape()));
        }
        double[] x = toDoubles(a);
        double[] y = toDoubles(b);
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs(x[i] - y[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            m = Math.max(m, d);
        }
        return m;
    }

    /** Product of the dimensions. */
    public static long numel(long... shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Checks that {@code a} is float64; the reference never mixes precisions silently. */
    static INDArray requireDouble(INDArray a, String name) {
        if (a.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + " must be DOUBLE, got " + a.dataType());
        }
        return a;
    }
}
