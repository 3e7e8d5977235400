package org.revbench.harness.gate;

/**
 * A relative change beyond {@code maxRelativeChange} in the bad direction is a regression; as far in the good
 * direction, an improvement. For numbers that are deterministic at fixed shapes but may move by allocator
 * rounding (peak memory).
 *
 * <p>{@code minAbsoluteChange} is a floor in the metric's unit, for differences of two such numbers (a model's
 * share of a peak beside a reference model) that can be exactly 0, where any relative change would be infinite.
 *
 * @param maxRelativeChange a fraction: 0.01 is 1 %
 * @param minAbsoluteChange the smallest worsening, in the metric's unit, that can count as a regression (0: none)
 */
public record ToleranceRule(Direction direction, double maxRelativeChange, double minAbsoluteChange) implements Rule {

    public ToleranceRule(Direction direction, double maxRelativeChange) {
        this(direction, maxRelativeChange, 0);
    }

    @Override
    public String kind() { return "tolerance"; }

    @Override
    public String describe() {
        return "tolerance " + Numbers.format(maxRelativeChange * 100) + "%"
                + (minAbsoluteChange > 0 ? " or " + Numbers.format(minAbsoluteChange) : "");
    }

    Verdict judge(double baseline, double current) {
        double worsening = direction.worsening(baseline, current);
        // the allowed worsening: the relative tolerance, or the absolute floor where that is larger
        double allowed = Math.max(maxRelativeChange * Math.abs(baseline), minAbsoluteChange);
        // as a multiple of the relative tolerance, so Status.judge compares like with like; a zero allowance (a zero
        // baseline without a floor): no change is no change, any change an infinite one
        double relativeWorsening = worsening == 0 ? 0 : allowed == 0 ? Math.copySign(Double.POSITIVE_INFINITY, worsening)
                : worsening / allowed * maxRelativeChange;
        double relativeChange = current == baseline ? 0 : (current - baseline) / Math.abs(baseline);
        return new Verdict(Status.judge(relativeWorsening, maxRelativeChange), Numbers.format(baseline),
                Numbers.format(current), Numbers.signed(relativeChange * 100, "%+.2f%%"),
                Verdict.fields("baseline", baseline, "current", current, "relative_change", relativeChange));
    }
}
