package org.revbench.rev;

/**
 * The node's inverse would divide by (nearly) zero: revnode Eq. 9 and 11 divide by
 * {@code D = (1 - Y)(1 - 1/tau) + alpha}, which vanishes where an output equals {@code 1 + alpha / (1 - 1/tau)}.
 * There the forward multiplied the previous potential by about {@code D} (Eq. 5, 8 read
 * {@code V = D V' + (1 - Y) U / tau + Y Vres}), so that potential is (numerically) lost and no inverse can recover it.
 */
public final class IllConditionedInverseException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final int group;
    private final long element;
    private final double denominator;

    public IllConditionedInverseException(long step, int group, int groups, long element, String where,
                                          double denominator, double output, double limit) {
        super(String.format(java.util.Locale.ROOT,
                "reversible node inverse is ill-conditioned at time step t=%d, group %d of %d (0-based), element %s: "
                        + "the denominator (1 - Y)(1 - 1/tau) + alpha of revnode Eq. %s is %.3e (Y = %.17g), below the "
                        + "limit %.1e; the forward scaled the previous potential by about this factor, so it cannot be "
                        + "reconstructed from the output",
                step, group, groups, where, group == 0 ? "11" : "9", denominator, output, limit));
        this.step = step;
        this.group = group;
        this.element = element;
        this.denominator = denominator;
    }

    /** The time step (0-based) whose previous potential could not be reconstructed. */
    public long step() { return step; }

    /** The group (0-based). */
    public int group() { return group; }

    /** Row-major index of the offending element inside the group's slice {@code [B, ..., L/n]}. */
    public long element() { return element; }

    public double denominator() { return denominator; }
}
