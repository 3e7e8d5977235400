package org.revbench.harness.gate;

/**
 * Any difference is a regression, in either direction: parameter and FLOP counts are properties of the model's
 * definition, so a changed count means the model changed, whether it grew or shrank.
 */
public record ExactRule() implements Rule {

    @Override
    public String kind() { return "exact"; }

    @Override
    public String describe() { return "exact"; }

    Verdict judge(double baseline, double current) {
        double difference = current - baseline;
        Status status = Double.compare(baseline, current) == 0 ? Status.OK : Status.REGRESSED;
        return new Verdict(status, Numbers.format(baseline), Numbers.format(current),
                difference == 0 ? "0" : Numbers.signed(difference, "%+.0f"),
                Verdict.fields("baseline", baseline, "current", current, "difference", difference));
    }
}
