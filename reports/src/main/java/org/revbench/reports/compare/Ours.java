package org.revbench.reports.compare;

import java.util.List;
import org.revbench.harness.result.Measurement;

/**
 * Our value of one metric of one row: the latest measurement of each seed at the best scale available, averaged
 * over seeds.
 *
 * @param mean         the mean over seeds (the value itself when unseeded), in the measurement's unit
 * @param min          the smallest seed's value
 * @param max          the largest seed's value
 * @param scale        the scale that made it
 * @param measurements what it was computed from
 */
public record Ours(double mean, double min, double max, String scale, List<Measurement> measurements) {

    public int seeds() {
        return (int) measurements.stream().filter(m -> m.seed() != null).count();
    }

    static Ours of(List<Measurement> ms) {
        double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (Measurement m : ms) {
            sum += m.value();
            min = Math.min(min, m.value());
            max = Math.max(max, m.value());
        }
        return new Ours(sum / ms.size(), min, max, ms.get(0).scale(), List.copyOf(ms));
    }
}
