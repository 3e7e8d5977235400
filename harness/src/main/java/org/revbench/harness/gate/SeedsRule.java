package org.revbench.harness.gate;

/**
 * Accuracy over several seeds at one scale: the mean of the current seeds against the mean of the baseline's
 * seeds. A regression is a drop (in the bad direction) larger than {@code max(z * s, minDrop)}, where {@code s}
 * is the standard deviation of the baseline's seeds.
 *
 * <p>Why the seeds' standard deviation and not the standard error of their mean ({@code s / sqrt(n)}): with the
 * three seeds a row usually has, {@code s} is itself a rough estimate (it comes out below a third of the true
 * spread about one time in ten), and the difference of two means of three seeds has a spread of
 * {@code s * sqrt(2/3)}, about {@code 0.8 s}, before any run-to-run drift that seeds do not capture (thread
 * count, library versions). Judging by {@code s} keeps an unchanged run from failing on that noise, and it is
 * the unit papers report their seeds in (mean +- std). {@code minDrop} is the floor for a baseline whose seeds
 * happen to agree closely, where {@code z * s} would shrink to a few hundredths of a point.
 *
 * <p>On one machine class at one thread count a seed trains to the same weights every time (libtorch's CPU kernels
 * are deterministic there), so the seeds are also compared pair by pair ({@link #judgeEachSeed}): a seed that drops
 * by more than {@code minDrop} is a regression, or a change of the training's numerics that needs the baseline
 * refreshed. Without it a cpu-scale row whose seeds spread by 10 points could lose 20 points in one seed unseen.
 *
 * @param z       how many baseline standard deviations a drop must exceed
 * @param minDrop the smallest drop, in the metric's unit (points for top-1 in %), that can count as a regression
 * @param crossMachineMinDrop the same floor against a baseline measured on another (or an unknown) machine class,
 *                            where the same seeds train to other weights; NaN: the same as {@code minDrop}
 */
public record SeedsRule(Direction direction, double z, double minDrop, double crossMachineMinDrop) implements Rule {

    public SeedsRule(Direction direction, double z, double minDrop) {
        this(direction, z, minDrop, Double.NaN);
    }

    /** This rule with the floor for a baseline of another machine class. */
    SeedsRule acrossMachines() {
        return Double.isNaN(crossMachineMinDrop) ? this
                : new SeedsRule(direction, z, Math.max(minDrop, crossMachineMinDrop), Double.NaN);
    }

    @Override
    public String kind() { return "seeds"; }

    @Override
    public String describe() {
        return "seeds max(" + Numbers.format(z) + "sd," + Numbers.format(minDrop) + ")";
    }

    /** The drop that counts as a regression against a baseline with this spread. */
    double threshold(Spread baseline) {
        return Math.max(z * baseline.std(), minDrop);
    }

    /**
     * Seed by seed, for seeds trained on the baseline's machine class and thread count: the worst drop of one seed
     * against its own baseline value, a regression beyond {@code minDrop}.
     */
    Verdict judgeEachSeed(java.util.Map<Long, Double> baselineSeeds, java.util.Map<Long, Double> currentSeeds,
                          String unit) {
        Long worstSeed = null;
        double worst = Double.NEGATIVE_INFINITY;
        for (var e : baselineSeeds.entrySet()) {
            double w = direction.worsening(e.getValue(), currentSeeds.get(e.getKey()));
            if (w > worst) {
                worst = w;
                worstSeed = e.getKey();
            }
        }
        String changeUnit = "%".equals(unit) ? " pt" : " " + unit;
        double before = baselineSeeds.get(worstSeed);
        double after = currentSeeds.get(worstSeed);
        return new Verdict(Status.judge(worst, minDrop) == Status.REGRESSED ? Status.REGRESSED : Status.OK,
                Spread.of(baselineSeeds.values().stream().mapToDouble(Double::doubleValue).toArray()).describe(),
                Spread.of(currentSeeds.values().stream().mapToDouble(Double::doubleValue).toArray()).describe(),
                "seed " + worstSeed + " " + Numbers.signed(after - before, "%+.2f") + changeUnit + " (each seed"
                        + " against its own: one machine class and thread count)",
                Verdict.fields("seed", worstSeed, "seed_baseline", before, "seed_current", after, "threshold", minDrop));
    }

    Verdict judge(double[] baselineSeeds, double[] currentSeeds, String unit) {
        Spread baseline = Spread.of(baselineSeeds);
        Spread current = Spread.of(currentSeeds);
        double threshold = threshold(baseline);
        double change = current.mean() - baseline.mean();
        Status status = Status.judge(direction.worsening(baseline.mean(), current.mean()), threshold);
        String changeUnit = "%".equals(unit) ? " pt" : " " + unit;
        return new Verdict(status, baseline.describe(), current.describe(),
                Numbers.signed(change, "%+.2f") + changeUnit,
                Verdict.fields("baseline_mean", baseline.mean(), "baseline_std", baseline.std(), "baseline_seeds",
                        baseline.n(), "current_mean", current.mean(), "current_std", current.std(), "current_seeds",
                        current.n(), "change", change, "threshold", threshold));
    }
}
