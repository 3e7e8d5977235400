package org.revbench.core.data.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one JPEG/PNG with {@link ImageIO} into planar RGB u8 (CHW) of a fixed size.
 *
 * <p>Resampling: an image already of the target size is copied exactly. Otherwise the region chosen by the
 * {@link ImageFolderReader.Fit} is scaled with Java2D bilinear interpolation, in halving steps while it is more
 * than twice the target (a 2:1 bilinear step averages pixel pairs exactly, so large reductions approximate area
 * averaging instead of aliasing, as one big bilinear step would), then one last bilinear step to the target.
 *
 * <p>Colour: alpha is dropped (pixels keep their colour, not composited on a background); grayscale images are
 * replicated to three channels from their raw samples, because {@code BufferedImage.getRGB} treats Java's gray
 * colour space as linear and would brighten them.
 */
final class RgbDecoder {

    /** Larger images are refused before decoding: a corrupt header must not exhaust memory. */
    static final long MAX_PIXELS = 200_000_000L;

    private RgbDecoder() {}

    /** Decodes {@code file} and writes {@code 3*height*width} bytes at {@code dst[offset]}. */
    static void decode(Path file, int height, int width, ImageFolderReader.Fit fit, byte[] dst, int offset)
            throws IOException {
        BufferedImage img = read(file);
        int w = img.getWidth();
        int h = img.getHeight();
        int[] rgb = rgbPixels(img);
        if (w == width && h == height) {
            toPlanar(rgb, width * height, dst, offset);
            return;
        }
        BufferedImage src = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(rgb, 0, pixelsOf(src), 0, rgb.length);
        BufferedImage out = resize(src, region(w, h, height, width, fit), height, width);
        toPlanar(pixelsOf(out), width * height, dst, offset);
    }

    private static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFolderException(file, "", "missing image file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new ImageFolderException(file, "", "cannot decode image: no ImageIO reader recognises its format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS || pixels <= 0) {
                    throw new ImageFolderException(file, "", "cannot decode image: its header declares "
                            + reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (ImageFolderException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO plugins report corrupt data both as IIOException and as assorted runtime exceptions
            throw new ImageFolderException(file, "", "cannot decode image: " + e, e);
        }
    }

    /** Opaque 0xRRGGBB per pixel, row-major. */
    private static int[] rgbPixels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        if (cm.getNumColorComponents() != 1 || cm instanceof IndexColorModel) {
            return img.getRGB(0, 0, w, h, null, 0, w);
        }
        int max = (1 << cm.getComponentSize(0)) - 1;
        int[] px = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
        for (int i = 0; i < px.length; i++) {
            int g = max == 255 ? px[i] : (int) ((px[i] * 255L + max / 2) / max);
            px[i] = g << 16 | g << 8 | g;
        }
        return px;
    }

    /** {x, y, w, h} of the source region that becomes the output. */
    private static int[] region(int w, int h, int height, int width, ImageFolderReader.Fit fit) {
        if (fit == ImageFolderReader.Fit.STRETCH) {
            return new int[] {0, 0, w, h};
        }
        if ((long) w * height > (long) h * width) { // wider than the target: crop columns
            int cw = (int) Math.max(1, Math.min(w, Math.round((double) h * width / height)));
            return new int[] {(w - cw) / 2, 0, cw, h};
        }
        int ch = (int) Math.max(1, Math.min(h, Math.round((double) w * height / width)));
        return new int[] {0, (h - ch) / 2, w, ch};
    }

    private static BufferedImage resize(BufferedImage src, int[] region, int height, int width) {
        BufferedImage cur = src;
        int x = region[0];
        int y = region[1];
        int w = region[2];
        int h = region[3];
        do {
            int nw = w > width ? Math.max(w / 2, width) : width;
            int nh = h > height ? Math.max(h / 2, height) : height;
            BufferedImage next = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(cur, 0, 0, nw, nh, x, y, x + w, y + h, null);
            } finally {
                g.dispose();
            }
            cur = next;
            x = 0;
            y = 0;
            w = nw;
            h = nh;
        } while (w != width || h != height);
        return cur;
    }

    private static int[] pixelsOf(BufferedImage img) {
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }

    private static void toPlanar(int[] rgb, int plane, byte[] dst, int offset) {
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            dst[offset + i] = (byte) (p >> 16);
            dst[offset + plane + i] = (byte) (p >> 8);
            dst[offset + 2 * plane + i] = (byte) p;
        }
    }
}
