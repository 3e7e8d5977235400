package org.revbench.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.InputSpec;

/**
 * A learnable, deterministic synthetic classification task in a model's input format.
 *
 * <p>Each of the K classes has a prototype: an oriented grating of its own orientation and frequency, plus a
 * smooth random pattern (a coarse Gaussian grid, bilinearly up-sampled to {@code H x W}), standardised per
 * channel, plus a random offset per channel. A sample is its class's prototype plus noise, so a model can tell
 * the classes apart after a few dozen steps (unlike {@code SyntheticBatch}, whose labels are unrelated to the
 * inputs). Measured with the defaults (T 2, batch 8, 10 classes, AdamW lr 3e-3): MS-ResNet18 reaches about 70 %
 * accuracy over steps 21-30; the narrow MS-ResNet20-DVS learns more slowly (about 30 % at step 30, 80 % after
 * 80 steps at T 4).
 *
 * <ul>
 *   <li>image input: {@code [B, C, H, W]}, {@code x = prototype + noise * N(0, 1)} per pixel;</li>
 *   <li>event input: {@code [T, B, C, H, W]} non-negative integer counts, Poisson per frame with rate
 *       {@code MAX_EVENT_RATE * sigmoid(4 * (prototype + noise * N(0, 1)))}, where the noise field is drawn once
 *       per sample (so frames of one sample share it, as frames of one recording do).</li>
 * </ul>
 *
 * <p>Deterministic: the prototypes depend only on the seed, and the sequence of batches returned by
 * {@link #next} depends only on the seed and the sizes requested. Not thread-safe.
 */
public final class SyntheticDataset {

    /** Default noise standard deviation, relative to the prototypes' patterns (unit standard deviation per channel). */
    public static final double DEFAULT_NOISE = 1.0;
    /** Largest expected event count per pixel and frame. */
    public static final double MAX_EVENT_RATE = 0.8;
    /** Coarse grid the prototypes are up-sampled from: patterns vary on a scale of about H/4. */
    private static final int GRID = 5;
    /** Standard deviation of the per-class, per-channel offsets (colour, or the density of ON/OFF events). */
    private static final double OFFSET = 0.5;

    /** One batch: the input and its int64 labels {@code [B]}; closing it closes both tensors. */
    public record Batch(NDArray input, NDArray labels) implements AutoCloseable {
        @Override
        public void close() {
            input.close();
            labels.close();
        }
    }

    private final InputSpec spec;
    private final int classes;
    private final int timesteps;
    private final long seed;
    private final double noise;
    /** {@code [classes][C * H * W]}. */
    private final double[][] prototypes;
    private SplittableRandom samples;
    private long produced;

    public SyntheticDataset(InputSpec spec, int classes, int timesteps, long seed) {
        this(spec, classes, timesteps, seed, DEFAULT_NOISE);
    }

    /**
     * @param spec the model's input format
     * @param classes number of classes (at least 2)
     * @param timesteps frames per sample for event input (ignored for images, which the model repeats itself)
     * @param seed fixes the prototypes and the sequence of samples
     * @param noise standard deviation of the per-sample noise (0 gives the prototypes themselves)
     */
    public SyntheticDataset(InputSpec spec, int classes, int timesteps, long seed, double noise) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        if (timesteps < 1) {
            throw new IllegalArgumentException("timesteps must be >= 1, got " + timesteps);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be finite and >= 0, got " + noise);
        }
        this.spec = spec;
        this.classes = classes;
        this.timesteps = timesteps;
        this.seed = seed;
        this.noise = noise;
        // Two independent streams: prototypes never shift when batch sizes change.
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom protoRandom = root.split();
        this.samples = root.split();
        this.prototypes = new double[classes][];
        for (int k = 0; k < classes; k++) {
            prototypes[k] = prototype(protoRandom);
        }
    }

    /**
     * The same classes (prototypes, noise) with a fresh sample stream seeded by {@code streamSeed}: e.g. one
     * stream per training epoch, so that epoch e's batches do not depend on how many were drawn before (a resumed
     * run sees what an uninterrupted one saw), and a separate stream for held-out evaluation.
     */
    public SyntheticDataset stream(long streamSeed) {
        SyntheticDataset copy = new SyntheticDataset(spec, 2, timesteps, 0, noise, prototypes);
        copy.samples = new SplittableRandom(streamSeed);
        return copy;
    }

    private SyntheticDataset(InputSpec spec, int ignored, int timesteps, long seed, double noise, double[][] prototypes) {
        this.spec = spec;
        this.classes = prototypes.length;
        this.timesteps = timesteps;
        this.seed = seed;
        this.noise = noise;
        this.prototypes = prototypes; // read-only after construction, so sharing is safe
        this.samples = new SplittableRandom(seed);
    }

    public InputSpec spec() { return spec; }

    public int classes() { return classes; }

    public int timesteps() { return timesteps; }

    public long seed() { return seed; }

    public double noise() { return noise; }

    /** Samples produced so far. */
    public long produced() { return produced; }

    /** A copy of class {@code k}'s prototype, row-major {@code [C, H, W]}. */
    public double[] prototype(int k) {
        return prototypes[k].clone();
    }

    /**
     * The next {@code batch} samples, with uniformly random labels; the input has the model's batch shape
     * ({@link InputSpec#batchShape}) and type {@code dtype}, the labels are int64. The tensors belong to
     * {@code manager} and are owned by libtorch (safe to use in recorded computations).
     */
    public Batch next(NDManager manager, int batch, DataType dtype) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        int frame = spec.channels() * spec.height() * spec.width();
        long[] labels = new long[batch];
        double[] values;
        if (!spec.events()) {
            values = new double[batch * frame];
            for (int b = 0; b < batch; b++) {
                int k = samples.nextInt(classes);
                labels[b] = k;
                double[] p = prototypes[k];
                int off = b * frame;
                for (int i = 0; i < frame; i++) {
                    values[off + i] = p[i] + noise * samples.nextGaussian();
                }
            }
        } else {
            values = new double[Math.multiplyExact(timesteps, batch * frame)];
            double[] rate = new double[frame];
            for (int b = 0; b < batch; b++) {
                int k = samples.nextInt(classes);
                labels[b] = k;
                double[] p = prototypes[k];
                for (int i = 0; i < frame; i++) {
                    double z = p[i] + noise * samples.nextGaussian();
                    rate[i] = MAX_EVENT_RATE / (1 + Math.exp(-4 * z));
                }
                for (int t = 0; t < timesteps; t++) {
                    int off = (t * batch + b) * frame; // [T, B, C, H, W]
                    for (int i = 0; i < frame; i++) {
                        values[off + i] = poisson(samples, rate[i]);
                    }
                }
            }
        }
        produced += batch;
        Shape shape = spec.batchShape(batch, timesteps);
        NDArray input = Tensors.fromDoubles(manager, values, shape, dtype);
        try {
            return new Batch(input, Tensors.fromLongs(manager, labels, new Shape(batch)));
        } catch (RuntimeException e) {
            input.close();
            throw e;
        }
    }

    /**
     * A class pattern {@code [C, H, W]}: an oriented sinusoidal grating
     * (class-specific orientation and frequency, a local texture that convolutions pick up at once) plus a smooth
     * random blob pattern (where things are), standardised per channel, plus a per-channel offset (colour, or
     * the density of ON and OFF events).
     */
    private double[] prototype(SplittableRandom r) {
        int c = spec.channels();
        int h = spec.height();
        int w = spec.width();
        int plane = h * w;
        double theta = r.nextDouble() * Math.PI;
        double cycles = 2 + r.nextDouble() * 6; // over the image's larger side
        double k = 2 * Math.PI * cycles / Math.max(h, w);
        double kx = k * Math.cos(theta);
        double ky = k * Math.sin(theta);
        double[] out = new double[c * plane];
        double[] offsets = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double phase = r.nextDouble() * 2 * Math.PI;
            offsets[ch] = OFFSET * r.nextGaussian();
            double[][] grid = new double[GRID][GRID];
            for (double[] row : grid) {
                for (int j = 0; j < GRID; j++) {
                    row[j] = r.nextGaussian();
                }
            }
            for (int y = 0; y < h; y++) {
                double gy = h == 1 ? 0 : y * (GRID - 1) / (double) (h - 1);
                int y0 = Math.min((int) gy, GRID - 2);
                double fy = gy - y0;
                for (int x = 0; x < w; x++) {
                    double gx = w == 1 ? 0 : x * (GRID - 1) / (double) (w - 1);
                    int x0 = Math.min((int) gx, GRID - 2);
                    double fx = gx - x0;
                    double top = grid[y0][x0] * (1 - fx) + grid[y0][x0 + 1] * fx;
                    double bottom = grid[y0 + 1][x0] * (1 - fx) + grid[y0 + 1][x0 + 1] * fx;
                    double blob = top * (1 - fy) + bottom * fy;
                    out[ch * plane + y * w + x] = Math.sin(kx * x + ky * y + phase) + 0.5 * blob;
                }
            }
        }
        // each channel's pattern to zero mean and unit standard deviation, then the channel's offset
        for (int ch = 0; ch < c; ch++) {
            int from = ch * plane;
            double mean = 0;
            for (int i = from; i < from + plane; i++) {
                mean += out[i];
            }
            mean /= plane;
            double var = 0;
            for (int i = from; i < from + plane; i++) {
                var += (out[i] - mean) * (out[i] - mean);
            }
            double sd = Math.sqrt(var / plane);
            double inv = sd > 1e-12 ? 1 / sd : 1;
            for (int i = from; i < from + plane; i++) {
                out[i] = (out[i] - mean) * inv + offsets[ch];
            }
        }
        return out;
    }

    /** Knuth's Poisson sampler; fine for the small rates used here. */
    private static int poisson(SplittableRandom r, double lambda) {
        double limit = Math.exp(-lambda);
        double p = r.nextDouble();
        int k = 0;
        while (p > limit) {
            k++;
            p *= r.nextDouble();
        }
        return k;
    }
}
