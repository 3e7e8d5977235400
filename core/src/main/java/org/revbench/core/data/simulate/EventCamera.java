package org.revbench.core.data.simulate;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.revbench.core.data.EventSample;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.ImageSet;

/**
 * A simulated DVS camera that records a still grey image the way N-MNIST was recorded (Orchard et al. 2015: an
 * ATIS sensor on a pan-tilt unit looking at an MNIST digit on a monitor, moved in three saccades), so any grey
 * image set (Fashion-MNIST, say) becomes an event data set with N-MNIST's character.
 *
 * <p>Model:
 * <ul>
 *   <li>Scene: the image, intensity {@code I = pixel / 255} in [0, 1], scaled by {@link Config#imageScale} sensor
 *       pixels per image pixel (default: as large as fits beside the motion, so 28x28 at 34x34 as N-MNIST) and
 *       zero (the dark monitor) outside. A sensor pixel sees the scene at its centre, bilinearly sampled, so
 *       sub-pixel motion changes what it sees smoothly.</li>
 *   <li>Motion: the image moves on the sensor along a triangle of three straight saccades, each
 *       {@link Config#saccadeMicros} long at constant speed: from (0, 0) down-right to (A/2, A), up-right to (A, 0),
 *       and left back to (0, 0), where A is {@link Config#amplitude} sensor pixels (6 at 34x34). The three
 *       directions make edges of every orientation fire.</li>
 *   <li>Pixels: each tracks its log intensity {@code L = ln(I + eps)} ({@code eps} models the monitor's black
 *       level and keeps dark regions from dominating) and a reference level, initially L at time 0 (the sensor has
 *       adapted to the still image). Whenever {@code L - ref} reaches {@code +k * thetaOn} (or {@code -k * thetaOff})
 *       the pixel emits k ON (OFF) events and the reference moves by exactly {@code k} thresholds, as in the ESIM
 *       simulator (Rebecq et al. 2018). Thresholds are drawn once per pixel and polarity,
 *       {@code max(0.01, N(threshold, thresholdSigma))}, from a generator seeded with the caller's seed: sensor
 *       mismatch, and the only randomness.</li>
 *   <li>Time: the simulation advances in steps of {@link Config#stepMicros}; within a step L is taken as linear
 *       in time, so each crossed level gets its own timestamp, interpolated and rounded to the microsecond.
 *       Events are sorted by time, ties by pixel (row-major), so the output is a pure function of the image,
 *       the configuration and the seed.</li>
 *   <li>Output: polarity 1 = ON (brighter), 0 = OFF; x is the column, y the row of the
 *       {@link Config#width} x {@link Config#height} sensor; timestamps run from 0 to 3 saccades.</li>
 * </ul>
 * Defaults ({@link Config#N_MNIST}): threshold 0.3 (sigma 0.03), eps 0.25, 1 ms steps. With these the 28x28
 * Fashion-MNIST test images give about 4,700 events on average (1,500 to 13,300 over the first 2,000),
 * near N-MNIST's few thousand per digit; threshold 0.2 with eps 0.1 gives about 13,000. Not modelled: noise
 * events, refractory period, bandwidth limits, the saccades' acceleration.
 *
 * <p>Cost: about 3.5 ms per 28x28 image at 34x34 on one core (the per-step bilinear sampling of every sensor
 * pixel dominates; {@code EventSimulationBenchmark}), about 44 ms at 128x128. Instances are immutable and
 * thread-safe, so images can be simulated in parallel.
 */
public final class EventCamera {

    /**
     * Sensor and model parameters.
     *
     * @param width sensor columns
     * @param height sensor rows
     * @param threshold mean contrast threshold (change of ln intensity per event)
     * @param thresholdSigma standard deviation of the per-pixel thresholds
     * @param eps added to the intensity before the logarithm
     * @param amplitude saccade amplitude in sensor pixels
     * @param saccadeMicros duration of one saccade
     * @param stepMicros simulation step
     * @param imageScale sensor pixels per image pixel; 0 for as large as fits beside the motion
     */
    public record Config(int width, int height, double threshold, double thresholdSigma, double eps,
                         double amplitude, long saccadeMicros, long stepMicros, double imageScale) {

        /** N-MNIST's sensor: 34 x 34, 6-pixel saccades of 100 ms. */
        public static final Config N_MNIST = new Config(34, 34, 0.3, 0.03, 0.25, 6, 100_000, 1_000, 0);

        public Config {
            if (width < 1 || height < 1 || width > 4096 || height > 4096) { // event keys hold 24-bit pixels
                throw new IllegalArgumentException("sensor size " + width + "x" + height);
            }
            if (!(threshold > 0) || !(thresholdSigma >= 0) || !(eps > 0) || !(amplitude >= 0)
                    || saccadeMicros < 1 || stepMicros < 1 || !(imageScale >= 0)) {
                throw new IllegalArgumentException("bad camera parameters: " + this);
            }
        }

        /**
         * N-MNIST's set-up on a {@code width x height} sensor: the saccades scale with the sensor, so the image
         * covers the same share of it (e.g. 128 x 128: about 22.6-pixel saccades, 28x28 images scaled 3.76 times).
         */
        public static Config forSensor(int width, int height) {
            double a = N_MNIST.amplitude * Math.min(width, height) / (double) N_MNIST.width;
            return N_MNIST.withSensor(width, height, a);
        }

        public Config withSensor(int w, int h, double a) {
            return new Config(w, h, threshold, thresholdSigma, eps, a, saccadeMicros, stepMicros, imageScale);
        }

        public Config withThreshold(double mean, double sigma) {
            return new Config(width, height, mean, sigma, eps, amplitude, saccadeMicros, stepMicros, imageScale);
        }

        public Config withEps(double e) {
            return new Config(width, height, threshold, thresholdSigma, e, amplitude, saccadeMicros, stepMicros,
                    imageScale);
        }

        public Config withTiming(long saccade, long step) {
            return new Config(width, height, threshold, thresholdSigma, eps, amplitude, saccade, step, imageScale);
        }

        public Config withImageScale(double s) {
            return new Config(width, height, threshold, thresholdSigma, eps, amplitude, saccadeMicros, stepMicros, s);
        }
    }

    /** Lowest per-pixel threshold: a threshold near 0 would fire without bound. */
    private static final double MIN_THRESHOLD = 0.01;
    /** Saccade end points in units of the amplitude: a triangle, back to the start. */
    private static final double[][] VERTICES = {{0, 0}, {0.5, 1}, {1, 0}, {0, 0}};

    private final Config config;

    public EventCamera() {
        this(Config.N_MNIST);
    }

    public EventCamera(Config config) {
        this.config = config;
    }

    public Config config() { return config; }

    /** Total recording time: three saccades. */
    public long durationMicros() {
        return 3 * config.saccadeMicros;
    }

    /**
     * Records image {@code index} of {@code set} (grey, or colour converted to luma 0.299 R + 0.587 G + 0.114 B).
     * The sample's source names the set and index.
     */
    public EventSample simulate(ImageSet set, int index, long seed) {
        int c = set.channels();
        int plane = set.height() * set.width();
        float[] grey = new float[plane];
        int base = index * set.imageBytes();
        byte[] px = set.pixels();
        for (int i = 0; i < plane; i++) {
            if (c == 3) {
                grey[i] = (float) ((0.299 * (px[base + i] & 0xFF) + 0.587 * (px[base + plane + i] & 0xFF)
                        + 0.114 * (px[base + 2 * plane + i] & 0xFF)) / 255.0);
            } else if (c == 1) {
                grey[i] = (px[base + i] & 0xFF) / 255f;
            } else {
                throw new IllegalArgumentException(set.name() + ": " + c + " channels, need 1 or 3");
            }
        }
        EventStream events = simulate(grey, set.height(), set.width(), seed);
        return new EventSample(events, set.labels()[index], set.name() + "[" + index + "]");
    }

    /** Records a grey image of intensities in [0, 1], row-major {@code h x w}. */
    public EventStream simulate(float[] intensity, int h, int w, long seed) {
        if (intensity.length != h * w) {
            throw new IllegalArgumentException(intensity.length + " values for a " + h + "x" + w + " image");
        }
        int sw = config.width;
        int sh = config.height;
        int n = sw * sh;
        double a = config.amplitude;
        double scale = config.imageScale > 0 ? config.imageScale
                : Math.min((sw - a) / w, (sh - a) / h);
        if (!(scale > 0)) {
            throw new IllegalArgumentException("the image does not fit a " + sw + "x" + sh + " sensor beside "
                    + a + "-pixel saccades");
        }
        // the unused margin split evenly, so the path stays centred on the sensor
        double ox = (sw - a - w * scale) / 2;
        double oy = (sh - a - h * scale) / 2;

        SplittableRandom random = new SplittableRandom(seed);
        double[] thetaOn = new double[n];
        double[] thetaOff = new double[n];
        for (int i = 0; i < n; i++) {
            thetaOn[i] = Math.max(MIN_THRESHOLD, config.threshold + config.thresholdSigma * random.nextGaussian());
            thetaOff[i] = Math.max(MIN_THRESHOLD, config.threshold + config.thresholdSigma * random.nextGaussian());
        }

        Sampler scene = new Sampler(intensity, h, w, scale, ox, oy, config.eps);
        double[] prev = new double[n];
        double[] now = new double[n];
        double[] ref = new double[n];
        scene.logFrame(0, 0, sw, sh, prev);
        System.arraycopy(prev, 0, ref, 0, n);

        long total = durationMicros();
        long step = config.stepMicros;
        EventStream.Builder out = new EventStream.Builder(sw, sh);
        long[] keys = new long[4096];
        for (long t0 = 0; t0 < total; t0 += step) {
            long t1 = Math.min(total, t0 + step);
            double[] pos = position(t1);
            scene.logFrame(pos[0] * a, pos[1] * a, sw, sh, now);
            int k = 0;
            for (int i = 0; i < n; i++) {
                double l0 = prev[i];
                double l1 = now[i];
                double d = l1 - ref[i];
                double theta;
                int polarity;
                if (d >= thetaOn[i]) {
                    theta = thetaOn[i];
                    polarity = 1;
                } else if (-d >= thetaOff[i]) {
                    theta = -thetaOff[i];
                    polarity = 0;
                } else {
                    continue;
                }
                int crossings = (int) Math.floor(d / theta);
                for (int j = 1; j <= crossings; j++) {
                    double level = ref[i] + j * theta;
                    double f = l1 == l0 ? 1 : (level - l0) / (l1 - l0);
                    f = Math.min(1, Math.max(0, f));
                    long time = t0 + Math.round(f * (t1 - t0));
                    if (k == keys.length) {
                        keys = Arrays.copyOf(keys, k * 2);
                    }
                    // time, then pixel, then polarity in one sortable key (time < 2^38, pixel < 2^24)
                    keys[k++] = (time << 25) | ((long) i << 1) | polarity;
                }
                ref[i] += crossings * theta;
            }
            Arrays.sort(keys, 0, k);
            out.ensure(k);
            for (int e = 0; e < k; e++) {
                long key = keys[e];
                int pix = (int) ((key >>> 1) & 0xFFFFFF);
                out.add(key >>> 25, pix % sw, pix / sw, (int) (key & 1));
            }
            double[] swap = prev;
            prev = now;
            now = swap;
        }
        return out.build();
    }

    /** Displacement of the image at time {@code t}, in units of the amplitude. */
    private double[] position(long t) {
        long s = config.saccadeMicros;
        int leg = (int) Math.min(2, t / s);
        double f = Math.min(1.0, (t - leg * s) / (double) s);
        double[] from = VERTICES[leg];
        double[] to = VERTICES[leg + 1];
        return new double[] {from[0] + f * (to[0] - from[0]), from[1] + f * (to[1] - from[1])};
    }

    /**
     * Bilinear sampling of the scaled, displaced image, as log intensity. Per step the sampling positions of a
     * column (row) are the same for every row (column), so the weights are computed once per column and row; the
     * image is padded with a zero border so that no sample needs a bounds check; and the logarithm comes from a
     * table of {@value #LOG_TABLE} intervals over I in [0, 1] with linear interpolation (error below
     * {@code 1e-7 / eps^2}, far under any threshold; the exact {@code Math.log} per pixel and step cost most of
     * the time).
     */
    private static final class Sampler {
        static final int LOG_TABLE = 1 << 12;

        private final float[] padded;
        private final int pw;
        private final int h;
        private final int w;
        private final double scale;
        private final double ox;
        private final double oy;
        private final double[] logTable;

        Sampler(float[] image, int h, int w, double scale, double ox, double oy, double eps) {
            this.h = h;
            this.w = w;
            this.pw = w + 2;
            this.padded = new float[(h + 2) * pw];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = image[y * w + x];
                    if (!(v >= 0 && v <= 1)) {
                        throw new IllegalArgumentException("intensity " + v + " at (" + x + ", " + y
                                + ") is outside [0, 1]");
                    }
                    padded[(y + 1) * pw + x + 1] = v;
                }
            }
            this.scale = scale;
            this.ox = ox;
            this.oy = oy;
            this.logTable = new double[LOG_TABLE + 2];
            for (int i = 0; i < logTable.length; i++) {
                logTable[i] = Math.log((double) i / LOG_TABLE + eps);
            }
        }

        /** ln(I + eps) seen by every sensor pixel with the image displaced by {@code (dx, dy)} sensor pixels. */
        void logFrame(double dx, double dy, int sw, int sh, double[] out) {
            int[] col = new int[sw];
            double[] wx = new double[sw];
            weights(sw, ox + dx, w, col, wx);
            int[] row = new int[sh];
            double[] wy = new double[sh];
            weights(sh, oy + dy, h, row, wy);
            for (int sy = 0; sy < sh; sy++) {
                int r0 = row[sy] * pw;
                int r1 = r0 + pw;
                double fy = wy[sy];
                for (int sx = 0; sx < sw; sx++) {
                    int c = col[sx];
                    double fx = wx[sx];
                    double top = padded[r0 + c] + fx * (padded[r0 + c + 1] - padded[r0 + c]);
                    double bottom = padded[r1 + c] + fx * (padded[r1 + c + 1] - padded[r1 + c]);
                    out[sy * sw + sx] = log(top + fy * (bottom - top));
                }
            }
        }

        /**
         * For each sensor index along one axis: the padded image index of the left (upper) sample and the
         * weight of the right (lower) one. Image pixel centres are at integers; samples wholly outside the image
         * point at the zero border.
         */
        private void weights(int sensor, double offset, int size, int[] index, double[] frac) {
            double inv = 1 / scale;
            for (int s = 0; s < sensor; s++) {
                double u = (s + 0.5 - offset) * inv - 0.5;
                double f0 = Math.floor(u);
                if (f0 < -1 || f0 > size - 1) {
                    index[s] = 0;
                    frac[s] = 0;
                } else {
                    index[s] = (int) f0 + 1;
                    frac[s] = u - f0;
                }
            }
        }

        private double log(double i) {
            double x = i * LOG_TABLE;
            int k = (int) x;
            if (k >= LOG_TABLE) {
                return logTable[LOG_TABLE];
            }
            double f = x - k;
            return logTable[k] + f * (logTable[k + 1] - logTable[k]);
        }
    }
}
