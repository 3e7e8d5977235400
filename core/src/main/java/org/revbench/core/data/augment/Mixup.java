package org.revbench.core.data.augment;

import java.util.SplittableRandom;

/**
 * Batch mixup with label smoothing, as timm's {@code Mixup(mixup_alpha=0.5, prob=0.5, mode='batch',
 * label_smoothing=0.1)} that RevSNN's DVS training uses.
 *
 * <p>Per batch: with probability {@code probability} draw {@code lambda ~ Beta(alpha, alpha)}, otherwise
 * {@code lambda = 1}; sample i becomes {@code lambda * x[i] + (1 - lambda) * x[B-1-i]} (timm mixes with the batch
 * reversed, not a random permutation; for an odd B the middle sample mixes with itself), and its target
 * {@code lambda * y[i] + (1 - lambda) * y[B-1-i]} where y are smoothed one-hot vectors: {@code smoothing/K} off,
 * {@code 1 - smoothing + smoothing/K} on. Each target row sums to 1.
 *
 * <p>Turned off ({@link #setEnabled}, or from epoch {@link #offFromEpoch} on: the protocol stops mixing after
 * epoch 75) it mixes nothing but keeps the smoothed targets, as timm does with {@code mixup_enabled = False}.
 * Random draws, in order: the probability check, then the Beta sample. Thread-safe (the switch is volatile).
 */
public final class Mixup {

    /** The protocol's last epoch with mixup is 74 (0-based): {@code if epoch >= 75: mixup_enabled = False}. */
    public static final int PAPER_OFF_EPOCH = 75;

    /** Mixing coefficient and the soft targets {@code [B, K]} of one batch. */
    public record Result(double lambda, float[] targets) {}

    private final double alpha;
    private final double probability;
    private final double smoothing;
    private final int classes;
    private final int offFromEpoch;
    private volatile boolean enabled = true;

    /**
     * @param alpha Beta distribution parameter
     * @param probability chance that a batch is mixed
     * @param smoothing label smoothing
     * @param classes number of classes K
     * @param offFromEpoch first epoch without mixing ({@code Integer.MAX_VALUE}: never off)
     */
    public Mixup(double alpha, double probability, double smoothing, int classes, int offFromEpoch) {
        if (!(alpha > 0) || !(probability >= 0 && probability <= 1) || !(smoothing >= 0 && smoothing < 1)
                || classes < 2) {
            throw new IllegalArgumentException("bad mixup parameters");
        }
        this.alpha = alpha;
        this.probability = probability;
        this.smoothing = smoothing;
        this.classes = classes;
        this.offFromEpoch = offFromEpoch;
    }

    /** The protocol's mixup: alpha 0.5, probability 0.5, smoothing 0.1, off from epoch 75. */
    public static Mixup paper(int classes) {
        return new Mixup(0.5, 0.5, 0.1, classes, PAPER_OFF_EPOCH);
    }

    public int classes() { return classes; }

    public int offFromEpoch() { return offFromEpoch; }

    public boolean enabled() { return enabled; }

    /** The switch: false stops mixing (targets stay smoothed). */
    public void setEnabled(boolean on) { enabled = on; }

    /** Whether batches of {@code epoch} are mixed (with the configured probability). */
    public boolean activeIn(int epoch) {
        return enabled && epoch < offFromEpoch;
    }

    /**
     * Mixes a batch in place and returns its targets. The batch is {@code outer x batch x inner} values: sample b
     * occupies {@code x[(o * batch + b) * inner ...]} for every o, so images {@code [B, C, H, W]} have outer 1 and
     * frames {@code [T, B, C, H, W]} outer T.
     */
    public Result apply(float[] x, int outer, int batch, int inner, long[] labels, int epoch,
                        SplittableRandom random) {
        if ((long) outer * batch * inner != x.length || labels.length != batch) {
            throw new IllegalArgumentException(x.length + " values, " + labels.length + " labels for "
                    + outer + " x " + batch + " x " + inner);
        }
        double lambda = 1;
        if (activeIn(epoch) && random.nextDouble() < probability) {
            lambda = beta(alpha, alpha, random);
        }
        if (lambda != 1) {
            float a = (float) lambda;
            float b = (float) (1 - lambda);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < (batch + 1) / 2; i++) {
                    int j = batch - 1 - i;
                    int pi = (o * batch + i) * inner;
                    int pj = (o * batch + j) * inner;
                    for (int k = 0; k < inner; k++) {
                        float xi = x[pi + k];
                        float xj = x[pj + k];
                        x[pi + k] = a * xi + b * xj;
                        x[pj + k] = a * xj + b * xi;
                    }
                }
            }
        }
        return new Result(lambda, targets(labels, lambda));
    }

    /** Smoothed, mixed targets {@code [B, K]} for a coefficient {@code lambda}. */
    public float[] targets(long[] labels, double lambda) {
        int batch = labels.length;
        double off = smoothing / classes;
        double on = 1 - smoothing + off;
        float[] t = new float[batch * classes];
        for (int i = 0; i < batch; i++) {
            long yi = labels[i];
            long yj = labels[batch - 1 - i];
            if (yi < 0 || yi >= classes) {
                throw new IllegalArgumentException("label " + yi + " outside [0, " + classes + ")");
            }
            for (int k = 0; k < classes; k++) {
                double a = k == yi ? on : off;
                double b = k == yj ? on : off;
                t[i * classes + k] = (float) (lambda * a + (1 - lambda) * b);
            }
        }
        return t;
    }

    /** {@code Beta(a, b)} as {@code G_a / (G_a + G_b)} with Gamma samples. */
    static double beta(double a, double b, SplittableRandom random) {
        double x = gamma(a, random);
        double y = gamma(b, random);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Marsaglia and Tsang's Gamma(k, 1) sampler; for k < 1 via {@code G(k+1) * U^(1/k)}. */
    static double gamma(double k, SplittableRandom random) {
        if (k < 1) {
            double u = random.nextDouble();
            return gamma(k + 1, random) * Math.pow(u, 1 / k);
        }
        double d = k - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = random.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
