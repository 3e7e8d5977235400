package org.revbench.core.data.augment;

import java.util.SplittableRandom;

/**
 * The CIFAR training augmentation of the RevSNN / MS-ResNet protocol, as torchvision's
 * {@code RandomCrop(32, padding=4)}, {@code RandomHorizontalFlip()}, {@code ToTensor()}, {@code Normalize(mean, std)}:
 * from a planar CHW u8 image to a CHW float image.
 *
 * <ul>
 *   <li>Crop: the image padded with {@code padding} zero pixels on every side, then a window of the image's own size
 *       at a uniformly random offset {@code (i, j)} in {@code [0, 2*padding]} (row first, then column, as
 *       torchvision draws them). Padding happens before normalisation, so padded pixels become
 *       {@code -mean/std}, as in torchvision.</li>
 *   <li>Flip: mirrored left-right with probability {@code flipProbability}.</li>
 *   <li>Normalise: {@code (u/255 - mean[c]) / std[c]}.</li>
 * </ul>
 * Random draws, in order: crop row offset, crop column offset, flip. Immutable and thread-safe; all randomness
 * comes from the generator passed in.
 */
public final class CifarAugment {

    /** The papers' CIFAR mean (RevSNN's public code). */
    public static final float[] PAPER_MEAN = {0.4914f, 0.4822f, 0.4465f};
    /** The papers' CIFAR standard deviations (not the usual 0.247, 0.243, 0.261: these are what the code uses). */
    public static final float[] PAPER_STD = {0.557f, 0.549f, 0.5534f};

    private final float[] mean;
    private final float[] std;
    private final int padding;
    private final double flipProbability;

    /**
     * @param mean per-channel mean of {@code u/255}
     * @param std per-channel standard deviation
     * @param padding zero pixels added on each side before the crop (0: no crop)
     * @param flipProbability probability of a horizontal flip
     */
    public CifarAugment(float[] mean, float[] std, int padding, double flipProbability) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + s);
            }
        }
        if (padding < 0 || !(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("padding " + padding + ", flip probability " + flipProbability);
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.padding = padding;
        this.flipProbability = flipProbability;
    }

    /** The protocol's training augmentation: padding 4, flip p 0.5, the papers' mean and std. */
    public static CifarAugment paper() {
        return new CifarAugment(PAPER_MEAN, PAPER_STD, 4, 0.5);
    }

    public int channels() { return mean.length; }

    /** Random crop and flip, then normalisation, of the image at {@code pixels[offset ...]} ({@code c x h x w}). */
    public float[] apply(byte[] pixels, int offset, int c, int h, int w, SplittableRandom random) {
        int i = padding == 0 ? 0 : random.nextInt(2 * padding + 1);
        int j = padding == 0 ? 0 : random.nextInt(2 * padding + 1);
        boolean flip = flipProbability > 0 && random.nextDouble() < flipProbability;
        return cropFlipNormalize(pixels, offset, c, h, w, i - padding, j - padding, flip);
    }

    /** Normalisation only (evaluation). */
    public float[] normalize(byte[] pixels, int offset, int c, int h, int w) {
        return cropFlipNormalize(pixels, offset, c, h, w, 0, 0, false);
    }

    /**
     * The output pixel {@code (y, x)} is input {@code (y + dy, x' + dx)} where {@code x'} is {@code x}, or
     * {@code w-1-x} when flipped (the flip acts on the cropped window); zero (before normalisation) outside.
     */
    public float[] cropFlipNormalize(byte[] pixels, int offset, int c, int h, int w, int dy, int dx,
                                     boolean flip) {
        if (c != mean.length) {
            throw new IllegalArgumentException(c + " channels, the normalisation has " + mean.length);
        }
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            float m = mean[ch];
            float s = std[ch];
            int plane = offset + ch * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    int u = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0 : pixels[plane + sy * w + sx] & 0xFF;
                    out[(ch * h + y) * w + x] = (u / 255f - m) / s; // torchvision's float32 order
                }
            }
        }
        return out;
    }
}
