package org.revbench.core.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;

class ImageFolderReaderTest {

    @TempDir
    Path dir;

    /** A random RGB image written as PNG; returns its planar CHW bytes. */
    private static byte[] writeRandomPng(Path file, int height, int width, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        byte[] chw = new byte[3 * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = rnd.nextInt(256);
                int g = rnd.nextInt(256);
                int b = rnd.nextInt(256);
                img.setRGB(x, y, r << 16 | g << 8 | b);
                chw[y * width + x] = (byte) r;
                chw[plane + y * width + x] = (byte) g;
                chw[2 * plane + y * width + x] = (byte) b;
            }
        }
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, "png", file.toFile()));
        return chw;
    }

    private static void writeImage(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, format, file.toFile()), "no " + format + " writer");
    }

    private static BufferedImage uniform(int width, int height, int rgb) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void classFoldersReadBackExactlyInSortedOrder() throws IOException {
        Path root = dir.resolve("root");
        // written out of order: classes and files must come back sorted
        byte[] dog = writeRandomPng(root.resolve("dog/c.png"), 6, 8, 3);
        byte[] catB = writeRandomPng(root.resolve("cat/b.png"), 6, 8, 2);
        byte[] catA = writeRandomPng(root.resolve("cat/a.PNG"), 6, 8, 1);
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");

        ImageFolderReader reader = ImageFolderReader.classFolders(root, 6, 8);
        assertEquals(List.of("cat", "dog"), reader.classes());
        assertEquals(List.of(new ImageFolderReader.Entry(root.resolve("cat/a.PNG"), 0),
                new ImageFolderReader.Entry(root.resolve("cat/b.png"), 0),
                new ImageFolderReader.Entry(root.resolve("dog/c.png"), 1)), reader.entries());
        assertArrayEquals(catB, reader.load(1));

        ImageSet set = reader.loadAll();
        assertEquals(List.of(3, 6, 8, 2), List.of(set.channels(), set.height(), set.width(), set.classes()));
        assertArrayEquals(new int[] {0, 0, 1}, set.labels());
        byte[] expected = new byte[3 * 144];
        System.arraycopy(catA, 0, expected, 0, 144);
        System.arraycopy(catB, 0, expected, 144, 144);
        System.arraycopy(dog, 0, expected, 288, 144);
        assertArrayEquals(expected, set.pixels());
    }

    @Test
    void tinyImageNetTrainAndValidationLayouts() throws IOException {
        Path root = dir.resolve("tiny-imagenet-200");
        int[] colours = {0x102030, 0xC08040};
        String[] wnids = {"n02", "n01"};
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 2; i++) {
                writeImage(uniform(16, 16, colours[k]), "jpeg", root.resolve("train/" + wnids[k] + "/images/"
                        + wnids[k] + "_" + i + ".JPEG"));
            }
            Files.writeString(root.resolve("train/" + wnids[k] + "/" + wnids[k] + "_boxes.txt"), "x\t0\t0\t1\t1\n");
        }
        writeImage(uniform(16, 16, colours[0]), "jpeg", root.resolve("val/images/val_0.JPEG"));
        writeImage(uniform(16, 16, colours[1]), "jpeg", root.resolve("val/images/val_1.JPEG"));
        Files.writeString(root.resolve("val/val_annotations.txt"),
                "val_0.JPEG\tn02\t0\t1\t15\t15\r\nval_1.JPEG\tn01\t3\t3\t9\t9\n");

        ImageFolderReader train = ImageFolderReader.tinyImageNet(root, Split.TRAIN, 16, 16,
                ImageFolderReader.Fit.STRETCH);
        assertEquals(List.of("n01", "n02"), train.classes());
        assertEquals(4, train.size());
        assertEquals(root.resolve("train/n01/images/n01_0.JPEG"), train.entries().get(0).file());
        ImageSet trainSet = train.loadAll();
        assertArrayEquals(new int[] {0, 0, 1, 1}, trainSet.labels());
        assertNear(0xC0, trainSet.pixel(0, 0, 8, 8));
        assertNear(0x20, trainSet.pixel(3, 1, 0, 15));

        ImageFolderReader val = ImageFolderReader.tinyImageNet(root, Split.TEST, 16, 16, ImageFolderReader.Fit.STRETCH);
        assertEquals(List.of(new ImageFolderReader.Entry(root.resolve("val/images/val_0.JPEG"), 1),
                new ImageFolderReader.Entry(root.resolve("val/images/val_1.JPEG"), 0)), val.entries());
        byte[] v0 = val.load(0);
        assertNear(0x10, v0[0] & 0xFF);
        assertNear(0x30, v0[2 * 256 + 255] & 0xFF);
    }

    private static void assertNear(int expected, int actual) {
        assertTrue(Math.abs(expected - actual) <= 3, "expected about " + expected + ", got " + actual);
    }

    @Test
    void resizingKeepsUniformColourAndCentreCropDropsTheSides() throws IOException {
        // 20 wide x 10 high: 5 red columns, 10 green, 5 blue
        BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                img.setRGB(x, y, x < 5 ? 0xFF0000 : x < 15 ? 0x00FF00 : 0x0000FF);
            }
        }
        Path root = dir.resolve("r");
        writeImage(img, "png", root.resolve("a/stripes.png"));
        writeImage(uniform(97, 61, 0x0AC81E), "png", root.resolve("b/flat.png"));

        byte[] crop = ImageFolderReader.classFolders(root, 5, 5, ImageFolderReader.Fit.CENTER_CROP).load(0);
        byte[] green = new byte[75];
        Arrays.fill(green, 25, 50, (byte) 255);
        assertArrayEquals(green, crop, "the centre 10x10 is all green");

        ImageFolderReader stretch = ImageFolderReader.classFolders(root, 5, 5, ImageFolderReader.Fit.STRETCH);
        byte[] s = stretch.load(0);
        assertTrue((s[0] & 0xFF) > 200 && (s[25] & 0xFF) < 60, "left edge stays red: " + Arrays.toString(s));
        byte[] flat = stretch.load(1); // 97x61 to 5x5: several halving steps, then bilinear
        for (int i = 0; i < 25; i++) {
            assertEquals(0x0A, flat[i]);
            assertEquals((byte) 0xC8, flat[25 + i]);
            assertEquals(0x1E, flat[50 + i]);
        }
        assertArrayEquals(flat, ImageFolderReader.classFolders(root, 5, 5).load(1));
    }

    @Test
    void grayAndAlphaImagesKeepTheirValues() throws IOException {
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {0, 17, 128, 200, 254, 255});
        BufferedImage argb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < 6; i++) {
            argb.setRGB(i % 3, i / 3, (i * 40) << 24 | 100 << 16 | 150 << 8 | 200);
        }
        Path root = dir.resolve("g");
        writeImage(gray, "png", root.resolve("a/gray.png"));
        writeImage(argb, "png", root.resolve("b/alpha.png"));
        ImageFolderReader reader = ImageFolderReader.classFolders(root, 2, 3);
        byte[] g = reader.load(0);
        byte[] plane = {0, 17, (byte) 128, (byte) 200, (byte) 254, (byte) 255};
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(plane, Arrays.copyOfRange(g, 6 * c, 6 * c + 6), "channel " + c);
        }
        byte[] a = reader.load(1);
        for (int i = 0; i < 6; i++) {
            assertEquals(List.of(100, 150, 200), List.of(a[i] & 0xFF, a[6 + i] & 0xFF, a[12 + i] & 0xFF));
        }
    }

    @Test
    void undecodableFilesAreNamed() throws IOException {
        Path root = dir.resolve("u");
        writeRandomPng(root.resolve("a/good.png"), 4, 4, 1);
        Files.write(root.resolve("a/broken.png"), "this is not a PNG at all".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(uniform(40, 40, 0x123456), "png", png);
        Files.write(root.resolve("a/cut.png"), Arrays.copyOf(png.toByteArray(), 60));
        ImageFolderReader reader = ImageFolderReader.classFolders(root, 4, 4);
        assertEquals(3, reader.size()); // indexing does not decode
        ImageFolderException e = assertThrows(ImageFolderException.class, () -> reader.load(0));
        assertMessage(e, "broken.png", "cannot decode image");
        ImageFolderException cut = assertThrows(ImageFolderException.class, () -> reader.load(1));
        assertMessage(cut, "cut.png", "cannot decode image");
        assertThrows(ImageFolderException.class, reader::loadAll);
    }

    @Test
    void hugeDeclaredImageSizeIsRefusedBeforeDecoding() throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(uniform(4, 4, 0), "png", png);
        byte[] b = png.toByteArray();
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.putInt(16, 100_000).putInt(20, 100_000); // IHDR width and height
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17); // chunk type and data
        bb.putInt(29, (int) crc.getValue());
        Path root = dir.resolve("h");
        Files.createDirectories(root.resolve("a"));
        Files.write(root.resolve("a/huge.png"), b);
        ImageFolderException e = assertThrows(ImageFolderException.class,
                () -> ImageFolderReader.classFolders(root, 4, 4).load(0));
        assertMessage(e, "huge.png", "100000x100000");
    }

    @Test
    void emptyClassFolderAndNoClassFoldersAreErrors() throws IOException {
        Path root = dir.resolve("e");
        writeRandomPng(root.resolve("a/x.png"), 2, 2, 1);
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/readme.txt"), "no images here");
        ImageFolderException e = assertThrows(ImageFolderException.class,
                () -> ImageFolderReader.classFolders(root, 2, 2));
        assertMessage(e, root.resolve("b").toString(), "empty class folder");

        Path flat = Files.createDirectories(dir.resolve("flat"));
        writeRandomPng(flat.resolve("x.png"), 2, 2, 1);
        assertMessage(assertThrows(ImageFolderException.class, () -> ImageFolderReader.classFolders(flat, 2, 2)),
                "flat", "no class folders");
        assertMessage(assertThrows(ImageFolderException.class,
                () -> ImageFolderReader.classFolders(dir.resolve("absent"), 2, 2)), "absent", "missing");
    }

    @Test
    void malformedAnnotationLinesNameTheirLine() throws IOException {
        Path val = dir.resolve("val");
        writeRandomPng(val.resolve("images/val_0.JPEG"), 2, 2, 1);
        List<String> classes = List.of("n01", "n02");
        String[][] cases = {
            {"val_0.JPEG\tn01\n\nval_0.JPEG\tn02\n", "line 2", "malformed"},
            {"val_0.JPEG\tn01\nval_0.JPEG n02 0 0 1 1\n", "line 2", "malformed"},
            {"val_0.JPEG\tn01\t0\t0\t1\n", "line 1", "malformed"},
            {"val_0.JPEG\tn01\t0\t0\tx\t1\n", "line 1", "malformed"},
            {"val_0.JPEG\tn01\nval_0.JPEG\tn01\nval_0.JPEG\tn99\t0\t0\t1\t1\n", "line 3", "unknown class 'n99'"},
            {"val_7.JPEG\tn01\n", "line 1", "does not exist"},
            {"../val_0.JPEG\tn01\n", "line 1", "malformed"},
        };
        for (String[] c : cases) {
            Files.writeString(val.resolve("val_annotations.txt"), c[0]);
            ImageFolderException e = assertThrows(ImageFolderException.class,
                    () -> ImageFolderReader.tinyImageNetVal(val, classes, 2, 2, ImageFolderReader.Fit.STRETCH), c[0]);
            assertEquals(c[1], e.location(), c[0]);
            assertMessage(e, "val_annotations.txt", c[2]);
        }
        Files.delete(val.resolve("val_annotations.txt"));
        assertMessage(assertThrows(ImageFolderException.class,
                () -> ImageFolderReader.tinyImageNetVal(val, classes, 2, 2, ImageFolderReader.Fit.STRETCH)),
                "val_annotations.txt", "missing annotation file");
    }
}
