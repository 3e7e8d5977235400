package org.revbench.rev;

import org.revbench.core.neuron.Surrogate;
import org.revbench.core.neuron.Surrogates;

/**
 * The hyper-parameters of the reversible node paper's reversible spiking neuron node (Eq. 3-12). The reversible node paper states only some of them;
 * every default below says where it comes from.
 *
 * @param tau         membrane time constant of the charge {@code M = V' + (X - V')/tau} (Eq. 3, 6). <b>Not stated in
 *                    the reversible node paper.</b> Default 2.0: SpikingJelly's LIF default (the framework the compared SNN codes build
 *                    on); any finite {@code tau != 0} keeps the node invertible.
 * @param vth         firing threshold {@code Vth} (Eq. 4, 7). <b>Not stated.</b> Default 1.0, SpikingJelly's default
 *                    and the threshold of every other neuron in this project.
 * @param vres        reset potential {@code Vres} (Eq. 5, 8). <b>Not stated.</b> Default 0.0, SpikingJelly's hard-reset
 *                    value; the potential before the first step is 0 as well (equal to {@code Vres} by default).
 * @param alpha       scale of the previous potential in Eq. 5, 8. revnode Sec. 5.4 ablates 0.05-0.8 and finds 0.1-0.2
 *                    best without naming one value; default 0.15, the middle of that range.
 * @param beta        scale of the cross input in Eq. 4, 7. revnode Sec. 5.4: "the optimal setting for beta is 1";
 *                    default 1.0. Must not be 0 (Eq. 10, 12 divide by it).
 * @param groups      number of groups the state is split into along the last dimension (Sec. 3.2: 2; Sec. 5.4
 *                    generalises to n, applied group after group). Default 2. Must be at least 2 (one group cannot be
 *                    inverted: its charge would need the input it is asked to recover) and divide the last dimension.
 * @param surrogate   surrogate derivative of the Heaviside step. revnode Eq. 2 uses {@code 1/(1 + pi^2 x^2)}
 *                    ({@link Surrogates#lorentzian(double) lorentzian(1)}, equal to SpikingJelly's atan(2)); default.
 * @param detachReset whether the spike inside the reset term {@code (1 - Y) M + Y Vres} of Eq. 5, 8 is cut from the
 *                    graph (SpikingJelly's {@code detach_reset}). <b>Not stated</b>; the reversible node paper's equations have no detach,
 *                    so the default is false (the full gradient of Eq. 3-8). When true only the spike {@code H(M - Vth)}
 *                    part of {@code Y} is detached there; the {@code beta X} part keeps its gradient.
 */
public record ReversibleNodeSpec(double tau, double vth, double vres, double alpha, double beta, int groups,
                                 Surrogate surrogate, boolean detachReset) {

    public ReversibleNodeSpec {
        if (!Double.isFinite(tau) || tau == 0) {
            throw new IllegalArgumentException("tau must be finite and non-zero, got " + tau);
        }
        if (!Double.isFinite(vth) || !Double.isFinite(vres) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("vth, vres and alpha must be finite: " + vth + ", " + vres + ", " + alpha);
        }
        if (!Double.isFinite(beta) || beta == 0) {
            throw new IllegalArgumentException("beta must be finite and non-zero (revnode Eq. 10, 12 divide by it), got " + beta);
        }
        if (groups < 2) {
            throw new IllegalArgumentException("the node needs at least 2 groups to be invertible, got " + groups);
        }
        if (surrogate == null) {
            throw new IllegalArgumentException("surrogate must not be null");
        }
    }

    /** The defaults documented above: tau 2, Vth 1, Vres 0, alpha 0.15, beta 1, 2 groups, lorentzian(1), no detach. */
    public static ReversibleNodeSpec defaults() {
        return new ReversibleNodeSpec(2.0, 1.0, 0.0, 0.15, 1.0, 2, Surrogates.lorentzian(1.0), false);
    }

    public ReversibleNodeSpec withGroups(int n) {
        return new ReversibleNodeSpec(tau, vth, vres, alpha, beta, n, surrogate, detachReset);
    }

    public ReversibleNodeSpec withAlpha(double a) {
        return new ReversibleNodeSpec(tau, vth, vres, a, beta, groups, surrogate, detachReset);
    }

    public ReversibleNodeSpec withBeta(double b) {
        return new ReversibleNodeSpec(tau, vth, vres, alpha, b, groups, surrogate, detachReset);
    }

    public ReversibleNodeSpec withTau(double t) {
        return new ReversibleNodeSpec(t, vth, vres, alpha, beta, groups, surrogate, detachReset);
    }

    public ReversibleNodeSpec withReset(double threshold, double reset) {
        return new ReversibleNodeSpec(tau, threshold, reset, alpha, beta, groups, surrogate, detachReset);
    }

    public ReversibleNodeSpec withSurrogate(Surrogate s) {
        return new ReversibleNodeSpec(tau, vth, vres, alpha, beta, groups, s, detachReset);
    }

    public ReversibleNodeSpec withDetachReset(boolean on) {
        return new ReversibleNodeSpec(tau, vth, vres, alpha, beta, groups, surrogate, on);
    }

    @Override
    public String toString() {
        return "RevNode(tau=" + tau + ", Vth=" + vth + ", Vres=" + vres + ", alpha=" + alpha + ", beta=" + beta
                + ", groups=" + groups + ", " + surrogate.name() + (detachReset ? ", detach reset" : "") + ")";
    }
}
