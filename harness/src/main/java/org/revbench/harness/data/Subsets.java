package org.revbench.harness.data;

import java.util.SplittableRandom;
import org.revbench.core.data.loader.Sample;
import org.revbench.core.data.loader.SampleSource;

/** Reduced-scale data: a fixed subset of a source, the same for every seed and every run. */
public final class Subsets {

    private Subsets() {}

    /**
     * The first {@code n} samples of a fixed permutation of {@code source} (seed 0, not the run's seed: every seed
     * and every model sees the same subset). A permutation, not a prefix, because some datasets are stored class
     * by class (event datasets in class folders), where a prefix would hold one class.
     */
    public static SampleSource fixed(SampleSource source, Integer n) {
        if (n == null || n >= source.size()) {
            return source;
        }
        int[] order = new int[source.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(0);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] pick = java.util.Arrays.copyOf(order, n);
        return new SampleSource() {
            @Override
            public int size() { return n; }

            @Override
            public Sample sample(int index, SplittableRandom random) throws Exception {
                return source.sample(pick[index], random);
            }
        };
    }
}
