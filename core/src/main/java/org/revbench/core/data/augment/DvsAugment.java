package org.revbench.core.data.augment;

import java.util.SplittableRandom;

/**
 * The DVS training augmentation of the RevSNN protocol (CIFAR10-DVS, DVS128 Gesture) on frames {@code [T, C, H, W]}
 * (any number of planes {@code T*C} of {@code H x W}): a horizontal flip with probability 0.5, then ONE operation
 * chosen uniformly, applied identically to every plane.
 *
 * <p>The operations and their magnitudes follow the public code, not a paper: RevSNN's {@code cifar10-dvs/train.py}
 * composes {@code RandomHorizontalFlip(0.5)} with {@code autoaugment.SNNAugmentWide()} (the Spikingformer
 * TrivialAugment-Wide variant; the module itself is not in the RevSNN repository, its published copies agree),
 * whose space is:
 * <ul>
 *   <li>{@link Op#IDENTITY};</li>
 *   <li>{@link Op#SHEAR_X}: magnitude m in [-0.3, 0.3], passed to torchvision as a shear angle of
 *       {@code degrees(m)}, i.e. the shear factor is {@code tan(m)} (0.309 at 0.3);</li>
 *   <li>{@link Op#TRANSLATE_X}, {@link Op#TRANSLATE_Y}: two separate operations, each shifting one axis by
 *       {@code (int) m} pixels (truncated toward zero), m in [-5, 5];</li>
 *   <li>{@link Op#ROTATE}: m in [-30, 30] degrees, counter-clockwise for positive m, about the image centre;</li>
 *   <li>{@link Op#CUTOUT}: torchvision's {@code RandomErasing(p=1, scale=(0.001, 0.11), ratio=(1, 1))}: a square of
 *       area {@code H*W*U(0.001, 0.11)} (side {@code round(sqrt(area))}) at a uniformly random position, zeroed in
 *       every plane; if it does not fit in 10 tries (never for sensible sizes), nothing is erased.</li>
 * </ul>
 * The code draws magnitudes from 31 equally spaced values ({@code linspace(-M, M, 31)}) and then flips the sign
 * with probability 0.5; {@code magnitudeBins = 0} draws them uniformly from {@code [-M, M]} instead (the
 * "U(-M, M)" of the protocol's prose).
 *
 * <p>Resampling is nearest-neighbour, as in the code (torchvision {@code InterpolationMode.NEAREST}): every output
 * pixel copies one input pixel or is 0 (outside), so counts stay integer counts (shear and rotation may duplicate
 * or drop some). Coordinates are taken at pixel centres relative to the image centre {@code ((W-1)/2, (H-1)/2)},
 * as torchvision does; ties in rounding go up.
 *
 * <p>Random draws, in order: flip, operation, then (for every operation but identity) bin or uniform value, sign,
 * and for cutout its area and position. Immutable and thread-safe.
 */
public final class DvsAugment {

    /** The operations of the code's augmentation space, in its order. */
    public enum Op { IDENTITY, SHEAR_X, TRANSLATE_X, TRANSLATE_Y, ROTATE, CUTOUT }

    /** What one call did. For cutout, {@code magnitude} is the side of the erased square (0 if none). */
    public record Result(float[] frames, boolean flipped, Op op, double magnitude) {}

    private static final int CUTOUT_TRIES = 10;

    private final double flipProbability;
    private final double maxShear;
    private final double maxTranslate;
    private final double maxDegrees;
    private final double cutoutMinArea;
    private final double cutoutMaxArea;
    private final int magnitudeBins;

    public DvsAugment(double flipProbability, double maxShear, double maxTranslate, double maxDegrees,
                      double cutoutMinArea, double cutoutMaxArea, int magnitudeBins) {
        if (!(flipProbability >= 0 && flipProbability <= 1) || !(maxShear >= 0) || !(maxTranslate >= 0)
                || !(maxDegrees >= 0) || !(cutoutMinArea >= 0 && cutoutMinArea <= cutoutMaxArea && cutoutMaxArea <= 1)
                || magnitudeBins < 0 || magnitudeBins == 1) {
            throw new IllegalArgumentException("bad DVS augmentation parameters");
        }
        this.flipProbability = flipProbability;
        this.maxShear = maxShear;
        this.maxTranslate = maxTranslate;
        this.maxDegrees = maxDegrees;
        this.cutoutMinArea = cutoutMinArea;
        this.cutoutMaxArea = cutoutMaxArea;
        this.magnitudeBins = magnitudeBins;
    }

    /** The protocol's augmentation as the public code runs it (31 magnitude bins). */
    public static DvsAugment paper() {
        return new DvsAugment(0.5, 0.3, 5, 30, 0.001, 0.11, 31);
    }

    /** Flip and one operation; returns the new frames ({@code frames} is not changed). */
    public float[] apply(float[] frames, int height, int width, SplittableRandom random) {
        return applyTraced(frames, height, width, random).frames();
    }

    /** As {@link #apply}, and says what was done. */
    public Result applyTraced(float[] frames, int height, int width, SplittableRandom random) {
        checkShape(frames, height, width);
        boolean flip = flipProbability > 0 && random.nextDouble() < flipProbability;
        float[] x = flip ? flipHorizontal(frames, height, width) : frames;
        Op op = Op.values()[random.nextInt(Op.values().length)];
        switch (op) {
            case IDENTITY:
                return new Result(flip ? x : x.clone(), flip, op, 0);
            case SHEAR_X: {
                double m = magnitude(maxShear, random);
                return new Result(shearX(x, height, width, Math.tan(m)), flip, op, m);
            }
            case TRANSLATE_X: {
                double m = magnitude(maxTranslate, random);
                return new Result(translate(x, height, width, (int) m, 0), flip, op, m);
            }
            case TRANSLATE_Y: {
                double m = magnitude(maxTranslate, random);
                return new Result(translate(x, height, width, 0, (int) m), flip, op, m);
            }
            case ROTATE: {
                double m = magnitude(maxDegrees, random);
                return new Result(rotate(x, height, width, m), flip, op, m);
            }
            case CUTOUT: {
                magnitude(1, random); // the code draws a magnitude for cutout too, and ignores it
                int area = height * width;
                for (int attempt = 0; attempt < CUTOUT_TRIES; attempt++) {
                    double erase = area * (cutoutMinArea + (cutoutMaxArea - cutoutMinArea) * random.nextDouble());
                    int side = (int) Math.round(Math.sqrt(erase));
                    if (side < height && side < width) {
                        int top = random.nextInt(height - side + 1);
                        int left = random.nextInt(width - side + 1);
                        return new Result(cutout(x, height, width, top, left, side), flip, op, side);
                    }
                }
                return new Result(flip ? x : x.clone(), flip, op, 0);
            }
            default:
                throw new AssertionError(op);
        }
    }

    /** A signed magnitude in {@code [-max, max]}: a bin of {@code linspace(-max, max, bins)}, or uniform. */
    private double magnitude(double max, SplittableRandom random) {
        double m;
        if (magnitudeBins == 0) {
            m = max * (2 * random.nextDouble() - 1);
        } else {
            int bin = random.nextInt(magnitudeBins);
            m = -max + 2 * max * bin / (magnitudeBins - 1);
        }
        return random.nextBoolean() ? -m : m;
    }

    /** Mirrored left-right: {@code out(x) = in(W-1-x)}. */
    public static float[] flipHorizontal(float[] frames, int height, int width) {
        checkShape(frames, height, width);
        float[] out = new float[frames.length];
        for (int row = 0; row < frames.length; row += width) { // every row of every plane
            for (int x = 0; x < width; x++) {
                out[row + x] = frames[row + width - 1 - x];
            }
        }
        return out;
    }

    /** Shifted by whole pixels: {@code out(x, y) = in(x - dx, y - dy)}, 0 where that is outside. */
    public static float[] translate(float[] frames, int height, int width, int dx, int dy) {
        checkShape(frames, height, width);
        return resample(frames, height, width, (x, y, src) -> {
            src[0] = x - dx;
            src[1] = y - dy;
        });
    }

    /** Rotated by {@code degrees} counter-clockwise (as seen with y pointing down) about the centre. */
    public static float[] rotate(float[] frames, int height, int width, double degrees) {
        checkShape(frames, height, width);
        double r = Math.toRadians(degrees);
        double cos = Math.cos(r);
        double sin = Math.sin(r);
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        return resample(frames, height, width, (x, y, src) -> {
            double u = x - cx;
            double v = y - cy;
            // inverse of the forward rotation (u, v) -> (u cos + v sin, -u sin + v cos)
            src[0] = nearest(cx + u * cos - v * sin);
            src[1] = nearest(cy + u * sin + v * cos);
        });
    }

    /** Sheared along x by {@code factor}: {@code out(x, y) = in(x - factor * (y - cy), y)}. */
    public static float[] shearX(float[] frames, int height, int width, double factor) {
        checkShape(frames, height, width);
        double cy = (height - 1) / 2.0;
        return resample(frames, height, width, (x, y, src) -> {
            src[0] = nearest(x - factor * (y - cy));
            src[1] = y;
        });
    }

    /** A {@code side x side} square at {@code (top, left)} set to 0 in every plane. */
    public static float[] cutout(float[] frames, int height, int width, int top, int left, int side) {
        checkShape(frames, height, width);
        float[] out = frames.clone();
        int plane = height * width;
        for (int base = 0; base < out.length; base += plane) {
            for (int y = Math.max(0, top); y < Math.min(height, top + side); y++) {
                for (int x = Math.max(0, left); x < Math.min(width, left + side); x++) {
                    out[base + y * width + x] = 0;
                }
            }
        }
        return out;
    }

    /** Source pixel of an output pixel, the same for every plane. */
    @FunctionalInterface
    private interface InverseMap {
        void source(int x, int y, int[] src);
    }

    private static float[] resample(float[] frames, int height, int width, InverseMap map) {
        int plane = height * width;
        int[] from = new int[plane]; // the map once, then applied to every plane
        int[] src = new int[2];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                map.source(x, y, src);
                boolean inside = src[0] >= 0 && src[0] < width && src[1] >= 0 && src[1] < height;
                from[y * width + x] = inside ? src[1] * width + src[0] : -1;
            }
        }
        float[] out = new float[frames.length];
        for (int base = 0; base < frames.length; base += plane) {
            for (int i = 0; i < plane; i++) {
                int s = from[i];
                if (s >= 0) {
                    out[base + i] = frames[base + s];
                }
            }
        }
        return out;
    }

    private static int nearest(double v) {
        return (int) Math.floor(v + 0.5);
    }

    private static void checkShape(float[] frames, int height, int width) {
        if (height < 1 || width < 1 || frames.length % (height * width) != 0) {
            throw new IllegalArgumentException(frames.length + " values are not whole " + height + "x" + width
                    + " planes");
        }
    }
}
