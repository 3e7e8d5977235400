package org.revbench.harness.gate;

import java.util.Arrays;

/**
 * Conbench's lookback z-score, for noisy numbers (timings): the current value against the same key's values at
 * the last {@code lookback} commits, {@code z = (current - mean) / std}; a regression when {@code z} is beyond
 * {@code threshold} in the bad direction, an improvement when as far in the good one. With fewer than
 * {@code minHistory} earlier values there is no distribution to speak of: the status is "insufficient history",
 * which never fails the gate.
 *
 * <p>The standard deviation is floored at {@code minRelativeStd * |mean|}. A history of identical values (a
 * timer's resolution, rounded numbers) has a standard deviation of 0, and would make any change, however small,
 * an infinite z; no timing on a shared machine is reproducible to better than a fraction of a percent, so the
 * floor is the smallest spread the history may claim. Only a mean of exactly 0 with a spread of 0 leaves z
 * infinite, and then only for a value that differs from it.
 *
 * @param threshold      how many standard deviations make a regression
 * @param lookback       how many earlier commits the history reaches back
 * @param minHistory     the fewest earlier values a z-score is computed from (at least 2, for a spread)
 * @param minRelativeStd the floor of the standard deviation, as a fraction of the history's mean
 * @param fallbackRelativeChange where the history is too short (a fresh store, a committed baseline that holds
 *                       each key once), the tolerance against the baseline's value when the baseline was measured on
 *                       the same machine class; NaN: none (insufficient history, which never fails)
 * @param crossMachineRelativeChange the same against a baseline of another (or an unknown) machine class: wider,
 *                       since timings and trained weights follow the CPU; NaN: none
 */
public record ZScoreRule(Direction direction, double threshold, int lookback, int minHistory, double minRelativeStd,
                         double fallbackRelativeChange, double crossMachineRelativeChange) implements Rule {

    public ZScoreRule(Direction direction, double threshold, int lookback, int minHistory, double minRelativeStd) {
        this(direction, threshold, lookback, minHistory, minRelativeStd, Double.NaN, Double.NaN);
    }

    /** The tolerance against a baseline when the history is short: NaN where the rule has none. */
    double fallback(boolean sameMachineClass) {
        return sameMachineClass ? fallbackRelativeChange : crossMachineRelativeChange;
    }

    @Override
    public String kind() { return "zscore"; }

    @Override
    public String describe() {
        return "zscore " + Numbers.format(threshold) + " (last " + lookback + ")"
                + (Double.isNaN(fallbackRelativeChange) ? "" : ", else " + Numbers.format(fallbackRelativeChange * 100) + "%");
    }

    Verdict judge(double[] history, double current) {
        // a NaN or infinite point is a failed run, not part of the distribution
        double[] finite = Arrays.stream(history).filter(Double::isFinite).toArray();
        Spread spread = Spread.of(finite);
        if (finite.length < minHistory) {
            String reference = finite.length == 0 ? "n=0" : spread.describe();
            return new Verdict(Status.INSUFFICIENT_HISTORY, reference, Numbers.format(current),
                    "need " + minHistory, Verdict.fields("history", finite.length, "current", current));
        }
        double std = Math.max(spread.std(), minRelativeStd * Math.abs(spread.mean()));
        double deviation = current - spread.mean();
        double z = deviation == 0 ? 0 : std == 0 ? Math.copySign(Double.POSITIVE_INFINITY, deviation) : deviation / std;
        Status status = Status.judge(direction.worsening(0, z), threshold);
        return new Verdict(status, spread.describe(), Numbers.format(current), Numbers.signed(z, "z=%+.1f"),
                Verdict.fields("history_mean", spread.mean(), "history_std", spread.std(), "std_used", std, "history",
                        finite.length, "current", current, "z", z));
    }
}
