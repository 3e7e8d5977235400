package org.revbench.core.data.augment;

import java.util.SplittableRandom;

/**
 * The ImageNet crop of the ResNet protocol, from a planar CHW u8 image already fitted to {@code size x size} (the
 * crop's {@code 1 / 0.875}: 256 for a 224 crop, timm's {@code crop_pct}) to a CHW float image of {@code crop x crop}:
 * <ul>
 *   <li>training: a {@code crop x crop} window at a uniformly random offset (row first, then column), mirrored
 *       left-right with probability {@code flipProbability};</li>
 *   <li>evaluation: the centred window, not mirrored;</li>
 *   <li>both: normalised, {@code (u/255 - mean[c]) / std[c]}, ImageNet's mean and standard deviation.</li>
 * </ul>
 * Random draws, in order: row offset, column offset, flip. Immutable and thread-safe; all randomness comes from the
 * generator passed in.
 *
 * <p>Not here: timm's RandomResizedCrop (scale 0.08-1) and RandAugment, which T-RevSNN trains with: a paper-scale
 * ImageNet run with this crop is declared in its spec ({@code resize-256-random-crop-224}).
 */
public final class ImageNetAugment {

    /** ImageNet's per-channel mean of {@code u/255} (torchvision, timm). */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet's per-channel standard deviation. */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** The share of the fitted image the crop covers (timm's default {@code crop_pct}). */
    public static final double CROP_SHARE = 0.875;

    private final int crop;
    private final int size;
    private final double flipProbability;

    /**
     * @param crop the side of the model's input
     * @param flipProbability probability of a horizontal flip in training
     */
    public ImageNetAugment(int crop, double flipProbability) {
        if (crop < 1 || !(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("crop " + crop + ", flip probability " + flipProbability);
        }
        this.crop = crop;
        this.size = (int) Math.round(crop / CROP_SHARE);
        this.flipProbability = flipProbability;
    }

    /** The side images are fitted to before the crop: {@code round(crop / 0.875)}, 256 for 224. */
    public int fittedSize() { return size; }

    public int crop() { return crop; }

    /** A random window of the fitted image, maybe mirrored, normalised. */
    public float[] train(byte[] pixels, int offset, SplittableRandom random) {
        int dy = random.nextInt(size - crop + 1);
        int dx = random.nextInt(size - crop + 1);
        boolean flip = random.nextDouble() < flipProbability;
        return window(pixels, offset, dy, dx, flip);
    }

    /** The centred window, normalised. */
    public float[] eval(byte[] pixels, int offset) {
        int d = (size - crop) / 2;
        return window(pixels, offset, d, d, false);
    }

    /** Output {@code (y, x)} is fitted pixel {@code (y + dy, x' + dx)}, {@code x'} = {@code x} or {@code crop-1-x} when flipped. */
    float[] window(byte[] pixels, int offset, int dy, int dx, boolean flip) {
        if (pixels.length - offset < 3 * size * size) {
            throw new IllegalArgumentException("an image of 3x" + size + "x" + size + " needs " + 3 * size * size
                    + " bytes from offset " + offset + ", got " + (pixels.length - offset));
        }
        float[] out = new float[3 * crop * crop];
        for (int ch = 0; ch < 3; ch++) {
            float m = IMAGENET_MEAN[ch];
            float s = IMAGENET_STD[ch];
            int plane = offset + ch * size * size;
            for (int y = 0; y < crop; y++) {
                int row = plane + (y + dy) * size;
                for (int x = 0; x < crop; x++) {
                    int u = pixels[row + (flip ? crop - 1 - x : x) + dx] & 0xFF;
                    out[(ch * crop + y) * crop + x] = (u / 255f - m) / s; // torchvision's float32 order
                }
            }
        }
        return out;
    }
}
