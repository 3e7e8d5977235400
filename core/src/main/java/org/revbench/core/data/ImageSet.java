package org.revbench.core.data;

/**
 * Labelled 8-bit images held in memory: image {@code i} occupies {@code pixels[i*C*H*W, (i+1)*C*H*W)}, planar
 * channel-major (CHW), as CIFAR's binary files store them.
 */
public record ImageSet(String name, byte[] pixels, int[] labels, int channels, int height, int width, int classes) {

    public ImageSet {
        long per = (long) channels * height * width;
        if (per * labels.length != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes for " + labels.length
                    + " images of " + channels + "x" + height + "x" + width);
        }
    }

    public int size() { return labels.length; }

    public int imageBytes() { return channels * height * width; }

    /** Pixel {@code (c, y, x)} of image {@code i} as 0-255. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[i * imageBytes() + (c * height + y) * width + x] & 0xFF;
    }
}
