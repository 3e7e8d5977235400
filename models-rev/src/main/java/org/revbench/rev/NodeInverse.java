package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;

/**
 * the reversible node paper's inverse (Eq. 9-12): from a step's outputs {@code Y} and potentials {@code V}, the step's input
 * {@code X} and previous potentials {@code V'}. Groups are undone last to first ({@code i = n-1..0}, see
 * {@link NodeEquations} for the grouping):
 * <pre>
 *   D_i = (1 - Y_i)(1 - 1/tau) + alpha
 *   P_i = (V_i - (1 - Y_i) U_i / tau - Y_i Vres) / D_i          Eq. 9 (i > 0, U_i = Y_{i-1}), Eq. 11 (i = 0, U_0 = X_0)
 *   M_i = P_i + (U_i - P_i) / tau                              the step's membrane, needed for H and for the gradient
 *   X_{(i+1) mod n} = (Y_i - H(M_i - Vth)) / beta              Eq. 10, 12
 * </pre>
 * {@code U_0 = X_0} is known when group 0 is reached: group {@code n-1} recovered it.
 *
 * <p>Conditioning: the forward computes {@code V_i = D_i P_i + ...}, so the inverse divides a rounding error of
 * {@code V} by {@code |D_i|} every step, and over {@code T} steps by their product (reported as
 * {@link Reconstruction#maxAmplification()}). Where {@code |D_i|} falls below {@link #minDenominator()} the inverse
 * throws {@link IllConditionedInverseException} naming the step, group and element rather than return garbage.
 * Where that check is off (the networks' default: one such element among millions would abort a whole training step)
 * the inverse still watches {@code |D|}: below {@link #warnBelow()} it counts the step ({@link #illConditionedSteps()})
 * and says so once per inverse, through {@link System.Logger} (the element's reconstruction and gradient are then
 * inaccurate, the rest of the tensor is not). {@code beta} cannot be 0 ({@link ReversibleNodeSpec} refuses it).
 *
 * <p>The step's {@code X} is recovered without amplification (only {@code Y} and a 0/1 step enter it); it is wrong
 * only if a rounding error flips {@code H}, i.e. where {@code M_i} lies within rounding distance of {@code Vth}.
 */
public final class NodeInverse {

    /** Default limit on {@code |D|}: 1e-6 (float64 rounding then grows at most to about 1e-10 in one step). */
    public static final double DEFAULT_MIN_DENOMINATOR = 1e-6;

    /**
     * Default warning limit on {@code |D|} where the inverse does not throw: 1e-4, an amplification of rounding by 1e4
     * in one step (a float32 potential keeps about three correct digits).
     */
    public static final double DEFAULT_WARN_BELOW = 1e-4;

    private static final System.Logger LOG = System.getLogger(NodeInverse.class.getName());

    /**
     * A whole-sequence reconstruction.
     *
     * @param inputs             {@code X}, {@code [T, B, ...]}
     * @param previousPotentials {@code V^{t-1}} of every step t, {@code [T, B, ...]}; row 0 reconstructs the initial 0
     * @param minDenominator     the smallest {@code |D|} met
     * @param maxAmplification   the largest product of {@code 1/|D|} along one element's chain back to step 0: how much
     *                           a rounding error of the kept last potential can grow in the reconstruction
     * @param spikes             the step function {@code H(M - Vth)} (0/1) the inverse recomputed for every step and group,
     *                           {@code [T, B, ...]} in the layout of the output (groups joined); null unless asked for
     */
    public record Reconstruction(NDArray inputs, NDArray previousPotentials, double minDenominator,
                                 double maxAmplification, NDArray spikes) implements AutoCloseable {
        public Reconstruction(NDArray inputs, NDArray previousPotentials, double minDenominator, double maxAmplification) {
            this(inputs, previousPotentials, minDenominator, maxAmplification, null);
        }

        @Override
        public void close() {
            inputs.close();
            previousPotentials.close();
            if (spikes != null) {
                spikes.close();
            }
        }
    }

    /** One step undone: per group, the input, the previous potential and the membrane {@code M}. */
    record Step(List<NDArray> inputs, List<NDArray> previous, List<NDArray> membranes, List<NDArray> denominators)
            implements AutoCloseable {
        @Override
        public void close() {
            inputs.forEach(NDArray::close);
            previous.forEach(NDArray::close);
            membranes.forEach(NDArray::close);
            if (denominators != null) {
                denominators.forEach(NDArray::close);
            }
        }
    }

    private final ReversibleNodeSpec spec;
    private final double minDenominator;
    private final double guard;
    private double warnBelow = DEFAULT_WARN_BELOW;
    private String name = "reversible node";
    private final java.util.concurrent.atomic.AtomicLong illConditioned = new java.util.concurrent.atomic.AtomicLong();
    private java.util.function.Consumer<String> warnings = m -> LOG.log(System.Logger.Level.WARNING, m);

    public NodeInverse(ReversibleNodeSpec spec) {
        this(spec, DEFAULT_MIN_DENOMINATOR);
    }

    public NodeInverse(ReversibleNodeSpec spec, double minDenominator) {
        this(spec, minDenominator, 0);
    }

    /**
     * @param guard where {@code |D|} is below this (and above {@code minDenominator}, which throws), divide by
     *              {@code sign(D) * guard} instead: the element's reconstruction is wrong either way, but stays finite, so
     *              one ill-conditioned element among millions does not turn a network's gradients into NaN. 0: off.
     */
    public NodeInverse(ReversibleNodeSpec spec, double minDenominator, double guard) {
        if (!(guard >= 0)) {
            throw new IllegalArgumentException("guard must be >= 0, got " + guard);
        }
        this.guard = guard;
        if (!(minDenominator >= 0)) {
            throw new IllegalArgumentException("minDenominator must be >= 0, got " + minDenominator);
        }
        this.spec = spec;
        this.minDenominator = minDenominator;
    }

    public double minDenominator() { return minDenominator; }

    /** The warning limit on {@code |D|} (0: no watch); see the class notes. */
    public double warnBelow() { return warnBelow; }

    public void setWarnBelow(double limit) {
        if (!(limit >= 0)) {
            throw new IllegalArgumentException("warnBelow must be >= 0, got " + limit);
        }
        warnBelow = limit;
    }

    /** The name warnings give this inverse (e.g. the node's place in its network). */
    public void setName(String name) { this.name = name; }

    /** Where warnings go (default: {@link System.Logger} at WARNING); for tests and for callers that collect them. */
    public void setWarnings(java.util.function.Consumer<String> sink) { this.warnings = sink; }

    /** How many (step, group, chunk) inversions met {@code |D| < warnBelow} without throwing, since construction. */
    public long illConditionedSteps() { return illConditioned.get(); }

    public ReversibleNodeSpec spec() { return spec; }

    /**
     * Reconstructs all inputs and previous potentials from the outputs {@code y [T, B, ...]} and the last potential
     * {@code lastPotential [B, ...]}, without recording.
     */
    public Reconstruction run(NDArray y, NDArray lastPotential) {
        return run(y, lastPotential, false);
    }

    /**
     * As {@link #run(NDArray, NDArray)}; {@code keepSpikes} also returns the step function the inverse recomputed
     * ({@link Reconstruction#spikes()}), to compare with the forward's ({@link ReversibleNeuronNode#spikes}).
     */
    public Reconstruction run(NDArray y, NDArray lastPotential, boolean keepSpikes) {
        return Autograd.withRecording(false, () -> {
            long steps = y.getShape().get(0);
            checkShapes(y, lastPotential);
            NDList xs = new NDList((int) steps);
            NDList ps = new NDList((int) steps);
            NDList hs = keepSpikes ? new NDList((int) steps) : null;
            double minDen = Double.POSITIVE_INFINITY;
            NDArray out;
            NDArray prev;
            try (NDScope scope = new NDScope(); NodeEquations.Constants c = new NodeEquations.Constants(y, spec)) {
                NDArray v = lastPotential;
                NDArray amp = lastPotential.onesLike();
                for (int i = 0; i < steps; i++) {
                    xs.add(null);
                    ps.add(null);
                    if (hs != null) {
                        hs.add(null);
                    }
                }
                for (long t = steps - 1; t >= 0; t--) {
                    NDArray yt = y.get(t);
                    try (Step s = step(NodeEquations.groups(yt, spec.groups()), NodeEquations.groups(v, spec.groups()), c, t, true)) {
                        NDArray x = NodeEquations.join(s.inputs());
                        NDArray p = NodeEquations.join(s.previous());
                        NDArray d = NodeEquations.join(s.denominators());
                        NDArray absD = d.abs();
                        minDen = Math.min(minDen, scalar(absD.min()));
                        NDArray nextAmp = amp.div(absD);
                        amp = nextAmp;
                        xs.set((int) t, x);
                        ps.set((int) t, p);
                        if (hs != null) {
                            hs.set((int) t, NodeEquations.join(s.membranes()).gte(c.vth));
                        }
                        v = p;
                    }
                }
                double maxAmp = scalar(amp.max());
                out = NDArrays.stack(xs);
                prev = NDArrays.stack(ps);
                NDArray spikes = hs == null ? null : NDArrays.stack(hs);
                NDScope.unregister(out, prev);
                if (spikes != null) {
                    NDScope.unregister(spikes);
                }
                return new Reconstruction(out, prev, minDen, maxAmp, spikes);
            }
        });
    }

    private static void checkShapes(NDArray y, NDArray lastPotential) {
        Shape ys = y.getShape();
        Shape one = ys.slice(1);
        if (!one.equals(lastPotential.getShape())) {
            throw new IllegalArgumentException("the last potential " + lastPotential.getShape()
                    + " must have the shape of one step of the output " + ys);
        }
    }

    /**
     * Eq. 9-12 for one step, without recording (the caller switches recording off). {@code y} and {@code v} are the
     * step's outputs and potentials as group slices. Checks every denominator against {@link #minDenominator()}.
     */
    Step step(List<NDArray> y, List<NDArray> v, NodeEquations.Constants c, long t, boolean keepDenominators) {
        return step(y, v, c, t, keepDenominators, 0);
    }

    /** As above on samples {@code firstRow..} of the batch (a chunk): errors name the element in the whole batch. */
    Step step(List<NDArray> y, List<NDArray> v, NodeEquations.Constants c, long t, boolean keepDenominators, long firstRow) {
        int n = y.size();
        NDArray[] xs = new NDArray[n];
        NDArray[] ps = new NDArray[n];
        NDArray[] ms = new NDArray[n];
        NDArray[] ds = keepDenominators ? new NDArray[n] : null;
        for (int i = n - 1; i >= 0; i--) {
            NDArray yi = y.get(i);
            NDArray u = i == 0 ? xs[0] : y.get(i - 1);
            try (NDScope scope = new NDScope()) {
                NDArray notY = c.one.sub(yi);
                NDArray d = notY.mul(c.keep).add(c.alpha);
                check(d, yi, t, i, n, firstRow);
                if (guard > 0) {
                    d = guarded(d);
                }
                NDArray p = v.get(i).sub(notY.mul(u).mul(c.k)).sub(yi.mul(c.vres)).div(d);   // Eq. 9, 11
                NDArray m = p.add(u.sub(p).mul(c.k));                                      // Eq. 6, 3
                NDArray h = m.gte(c.vth).toType(y.get(0).getDataType(), false);
                NDArray x = yi.sub(h).div(c.beta);                                         // Eq. 10, 12
                xs[(i + 1) % n] = x;
                ps[i] = p;
                ms[i] = m;
                NDScope.unregister(x, p, m);
                if (keepDenominators) {
                    ds[i] = d;
                    NDScope.unregister(d);
                }
            }
        }
        return new Step(Arrays.asList(xs), Arrays.asList(ps), Arrays.asList(ms), ds == null ? null : Arrays.asList(ds));
    }

    private NDArray guarded(NDArray d) {
        try (NDArray g = Tensors.constant(d, guard); NDArray two = Tensors.constant(d, 2.0);
             NDArray one = Tensors.constant(d, 1.0); NDArray zero = Tensors.constant(d, 0.0);
             NDArray abs = d.abs(); NDArray small = abs.lt(g); NDArray pos = d.gte(zero);
             NDArray pf = pos.toType(d.getDataType(), false); NDArray s2 = pf.mul(two); NDArray sign = s2.sub(one);
             NDArray floor = sign.mul(g)) {
            return NDArrays.where(small, floor, d);
        }
    }

    private void check(NDArray d, NDArray y, long t, int group, int groups, long firstRow) {
        if (minDenominator == 0 && warnBelow == 0) {
            return;
        }
        try (NDArray abs = d.abs(); NDArray min = abs.min()) {
            double m = scalar(min);
            if (m >= minDenominator) {
                if (m < warnBelow && illConditioned.getAndIncrement() == 0) {
                    warnings.accept(String.format(java.util.Locale.ROOT, "%s: the inverse divides by |D| = %.3g < %.0e at time"
                            + " step %d, group %d of %d (revnode Eq. 9/11, D = (1 - Y)(1 - 1/tau) + alpha): the reconstruction"
                            + " and gradient of that element are inaccurate; said once, counted in illConditionedSteps()",
                            name, m, warnBelow, t, group, groups));
                }
                return;
            }
            try (NDArray flat = abs.flatten(); NDArray arg = flat.argMin()) {
                long idx = arg.getLong();
                double dv = Tensors.toDoubles(d)[(int) idx];
                double yv = Tensors.toDoubles(y)[(int) idx];
                long[] at = unravel(idx, d.getShape());
                at[0] += firstRow;
                long flatInBatch = idx + firstRow * (d.getShape().size() / d.getShape().get(0));
                throw new IllConditionedInverseException(t, group, groups, flatInBatch, Arrays.toString(at),
                        dv, yv, minDenominator);
            }
        }
    }

    private static long[] unravel(long idx, Shape shape) {
        long[] out = new long[shape.dimension()];
        for (int i = shape.dimension() - 1; i >= 0; i--) {
            out[i] = idx % shape.get(i);
            idx /= shape.get(i);
        }
        return out;
    }

    /** The value of a 0-d tensor of any floating dtype. */
    static double scalar(NDArray a) {
        return Tensors.toDoubles(a)[0];
    }
}
