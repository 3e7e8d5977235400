package org.revbench.core.reference;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The reversible spiking neuron node of the reversible node paper (Eq. 3-12), forward and inverse, in float64 ND4J: the oracle the
 * DJL implementation in {@code models-rev} is tested against. Values only (no surrogate gradients).
 *
 * <p>Input {@code x} is {@code [T, B, ...]}; per time step the state {@code (X, V)} is split into {@code n} equal
 * contiguous groups along the last dimension. Groups run in order {@code i = 0..n-1} (0-based), with
 * {@code k = 1/tau}, {@code P_i} the previous step's potential of group i ({@code V^{t-1}}, 0 before the first
 * step) and the charge input {@code U_0 = X_0}, {@code U_i = Y_{i-1}} for {@code i > 0}:
 * <pre>
 *   M_i = P_i + (U_i - P_i) k                          (Eq. 3, 6)
 *   Y_i = H(M_i - Vth) + beta X_{(i+1) mod n}          (Eq. 4, 7; H(0) = 1)
 *   V_i = (1 - Y_i) M_i + Y_i Vres + alpha P_i         (Eq. 5, 8)
 * </pre>
 * For {@code n = 2} this is exactly Eq. 3-8. The inverse walks the groups backwards ({@code i = n-1..0}):
 * <pre>
 *   P_i = (V_i - (1 - Y_i) k U_i - Y_i Vres) / ((1 - Y_i)(1 - k) + alpha)     (Eq. 9, 11)
 *   X_{(i+1) mod n} = (Y_i - H(P_i + (U_i - P_i) k - Vth)) / beta            (Eq. 10, 12)
 * </pre>
 * where {@code U_0 = X_0} is known by then (group {@code n-1} recovered it).
 */
public final class ReferenceReversibleNode {

    /** The node's constants (the reversible node paper leaves tau, Vth, Vres open; the DJL side documents its defaults). */
    public record Params(double tau, double vth, double vres, double alpha, double beta, int groups) {}

    /**
     * @param outputs    {@code Y}, {@code [T, B, ...]}
     * @param potentials {@code V^t} after each step, {@code [T, B, ...]}
     * @param membranes  {@code M^t} (charged, before fire), {@code [T, B, ...]}
     */
    public record Forward(INDArray outputs, INDArray potentials, INDArray membranes) {}

    /**
     * @param inputs         reconstructed {@code X}, {@code [T, B, ...]}
     * @param previousPotentials reconstructed {@code V^{t-1}} for every step t, {@code [T, B, ...]} (row 0 should be 0)
     */
    public record Inverse(INDArray inputs, INDArray previousPotentials) {}

    private ReferenceReversibleNode() {}

    public static Forward forward(INDArray x, Params p) {
        ReferenceArrays.requireDouble(x, "x");
        long[] shape = x.shape();
        long t = shape[0];
        long l = shape[shape.length - 1];
        long r = x.length() / t / l;
        int n = p.groups();
        checkGroups(l, n);
        long w = l / n;
        double k = 1.0 / p.tau();
        INDArray xs = x.dup('c').reshape('c', t, r, l);
        INDArray ys = ReferenceArrays.zeros(t, r, l);
        INDArray vs = ReferenceArrays.zeros(t, r, l);
        INDArray ms = ReferenceArrays.zeros(t, r, l);
        INDArray prev = ReferenceArrays.zeros(r, l);
        for (long s = 0; s < t; s++) {
            INDArray xt = xs.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
            INDArray yt = ReferenceArrays.zeros(r, l);
            INDArray vt = ReferenceArrays.zeros(r, l);
            INDArray mt = ReferenceArrays.zeros(r, l);
            for (int i = 0; i < n; i++) {
                INDArray pi = cols(prev, i, w);
                INDArray u = i == 0 ? cols(xt, 0, w) : cols(yt, i - 1, w);
                INDArray m = pi.add(u.sub(pi).mul(k));
                INDArray h = m.sub(p.vth()).gte(0.0).castTo(DataType.DOUBLE);
                INDArray y = h.add(cols(xt, (i + 1) % n, w).mul(p.beta()));
                INDArray v = y.rsub(1.0).mul(m).add(y.mul(p.vres())).add(pi.mul(p.alpha()));
                cols(yt, i, w).assign(y);
                cols(vt, i, w).assign(v);
                cols(mt, i, w).assign(m);
            }
            ys.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all()).assign(yt);
            vs.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all()).assign(vt);
            ms.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all()).assign(mt);
            prev = vt;
        }
        return new Forward(ys.reshape('c', shape), vs.reshape('c', shape), ms.reshape('c', shape));
    }

    /** Inputs and previous potentials from the outputs {@code [T, B, ...]} and the last potential {@code [B, ...]}. */
    public static Inverse inverse(INDArray y, INDArray lastPotential, Params p) {
        ReferenceArrays.requireDouble(y, "y");
        ReferenceArrays.requireDouble(lastPotential, "lastPotential");
        long[] shape = y.shape();
        long t = shape[0];
        long l = shape[shape.length - 1];
        long r = y.length() / t / l;
        if (lastPotential.length() != r * l) {
            throw new IllegalArgumentException("last potential " + Arrays.toString(lastPotential.shape())
                    + " does not match one step of " + Arrays.toString(shape));
        }
        int n = p.groups();
        checkGroups(l, n);
        long w = l / n;
        double k = 1.0 / p.tau();
        INDArray ys = y.dup('c').reshape('c', t, r, l);
        INDArray xs = ReferenceArrays.zeros(t, r, l);
        INDArray ps = ReferenceArrays.zeros(t, r, l);
        INDArray v = lastPotential.dup('c').reshape('c', r, l);
        for (long s = t - 1; s >= 0; s--) {
            INDArray yt = ys.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
            INDArray xt = ReferenceArrays.zeros(r, l);
            INDArray pt = ReferenceArrays.zeros(r, l);
            for (int i = n - 1; i >= 0; i--) {
                INDArray yi = cols(yt, i, w);
                INDArray u = i == 0 ? cols(xt, 0, w) : cols(yt, i - 1, w);
                INDArray notY = yi.rsub(1.0);
                INDArray num = cols(v, i, w).sub(notY.mul(u).mul(k)).sub(yi.mul(p.vres()));
                INDArray den = notY.mul(1.0 - k).add(p.alpha());
                INDArray pi = num.div(den);
                INDArray m = pi.add(u.sub(pi).mul(k));
                INDArray h = m.sub(p.vth()).gte(0.0).castTo(DataType.DOUBLE);
                cols(xt, (i + 1) % n, w).assign(yi.sub(h).div(p.beta()));
                cols(pt, i, w).assign(pi);
            }
            xs.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all()).assign(xt);
            ps.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all()).assign(pt);
            v = pt;
        }
        return new Inverse(xs.reshape('c', shape), ps.reshape('c', shape));
    }

    /** The last time step of a {@code [T, B, ...]} array, {@code [B, ...]}. */
    public static INDArray lastStep(INDArray a) {
        long[] shape = a.shape();
        return a.get(NDArrayIndex.point(shape[0] - 1)).dup('c').reshape('c', Arrays.copyOfRange(shape, 1, shape.length));
    }

    private static INDArray cols(INDArray a, int group, long width) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(group * width, (group + 1) * width));
    }

    private static void checkGroups(long last, int n) {
        if (n < 2 || last % n != 0) {
            throw new IllegalArgumentException("groups must be >= 2 and divide the last dimension " + last + ", got " + n);
        }
    }
}
