package org.revbench.harness.gate;

/**
 * The value must stay below an absolute bound (the reconstruction error of an invertible network in float64).
 * It needs no baseline, so a measurement that is new is still checked: a new model that does not invert is as
 * broken as an old one.
 */
public record BoundRule(double bound) implements Rule {

    @Override
    public String kind() { return "bound"; }

    @Override
    public String describe() { return "bound " + Numbers.format(bound); }

    Verdict judge(double current) {
        return judge(current, null);
    }

    /**
     * Against the bound; where the baseline of the same experiment ({@code baseline}, null: none) broke it already
     * and the current value is no worse, the check fails as before ({@link Status#FAILS_AS_BEFORE}): a known
     * failure is reported, not taken for a new regression; any worsening of it is one.
     */
    Verdict judge(double current, Double baseline) {
        // "stays below" is strict, and a NaN error (the inversion blew up) fails too
        Status status = current < bound ? Status.OK
                : baseline != null && !(baseline < bound) && current <= baseline ? Status.FAILS_AS_BEFORE
                : Status.REGRESSED;
        return new Verdict(status, "< " + Numbers.format(bound), Numbers.format(current),
                Numbers.format(current / bound) + "x bound"
                        + (status == Status.FAILS_AS_BEFORE ? " (baseline " + Numbers.format(baseline) + ")" : ""),
                Verdict.fields("bound", bound, "current", current));
    }
}
