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
        // "stays below" is strict, and a NaN error (the inversion blew up) fails too
        Status status = current < bound ? Status.OK : Status.REGRESSED;
        return new Verdict(status, "< " + Numbers.format(bound), Numbers.format(current),
                Numbers.format(current / bound) + "x bound", Verdict.fields("bound", bound, "current", current));
    }
}
