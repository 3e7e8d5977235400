package org.revbench.harness.gate;

/**
 * A relative change beyond {@code maxRelativeChange} in the bad direction is a regression; as far in the good
 * direction, an improvement. For numbers that are deterministic at fixed shapes but may move by allocator
 * rounding (peak memory).
 *
 * @param maxRelativeChange a fraction: 0.01 is 1 %
 */
public record ToleranceRule(Direction direction, double maxRelativeChange) implements Rule {

    @Override
    public String kind() { return "tolerance"; }

    @Override
    public String describe() {
        return "tolerance " + Numbers.format(maxRelativeChange * 100) + "%";
    }

    Verdict judge(double baseline, double current) {
        double worsening = direction.worsening(baseline, current);
        // a zero baseline: no change is no change; any change is an infinite relative one
        double relativeWorsening = worsening == 0 ? 0 : worsening / Math.abs(baseline);
        double relativeChange = current == baseline ? 0 : (current - baseline) / Math.abs(baseline);
        return new Verdict(Status.judge(relativeWorsening, maxRelativeChange), Numbers.format(baseline),
                Numbers.format(current), Numbers.signed(relativeChange * 100, "%+.2f%%"),
                Verdict.fields("baseline", baseline, "current", current, "relative_change", relativeChange));
    }
}
