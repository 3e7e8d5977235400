package org.revbench.core.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static byte[] pixels(int bytes, long seed) {
        byte[] p = new byte[bytes];
        new SplittableRandom(seed).nextBytes(p);
        return p;
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void readsPlainAndGzipImagesAndLabels() throws IOException {
        byte[] px = pixels(5 * 4 * 3, 1);
        byte[] images = IdxFixtures.images(5, 4, 3, px);
        int[] labels = {0, 9, 3, 3, 7};
        for (boolean gz : new boolean[] {false, true}) {
            Path img = Files.write(dir.resolve("img" + gz), gz ? IdxFixtures.gzip(images) : images);
            Path lab = Files.write(dir.resolve("lab" + gz), gz ? IdxFixtures.gzip(IdxFixtures.labels(labels))
                    : IdxFixtures.labels(labels));
            IdxReader.Images read = IdxReader.readImages(img);
            assertEquals(List.of(5, 4, 3), List.of(read.count(), read.rows(), read.cols()));
            assertArrayEquals(px, read.pixels());
            assertArrayEquals(labels, IdxReader.readLabels(lab, 10));
            ImageSet set = IdxReader.read("x", img, lab, 10);
            assertEquals(List.of(1, 4, 3, 10), List.of(set.channels(), set.height(), set.width(), set.classes()));
            assertEquals(px[4 * 3 + 2 * 3 + 1] & 0xFF, set.pixel(1, 0, 2, 1));
        }
    }

    @Test
    void fashionMnistLayoutDetectsGzipByMagicNotByName() throws IOException {
        byte[] trainPx = pixels(3 * 784, 2);
        byte[] testPx = pixels(2 * 784, 3);
        // plain content behind a .gz name, gzip content without one, and a mixture
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFixtures.images(3, 28, 28, trainPx));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxFixtures.gzip(IdxFixtures.labels(new int[] {1, 2, 9})));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFixtures.gzip(IdxFixtures.images(2, 28, 28, testPx)));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFixtures.gzip(IdxFixtures.labels(new int[] {0, 5})));

        ImageSet train = IdxReader.readFashionMnist(dir, Split.TRAIN);
        assertArrayEquals(trainPx, train.pixels());
        assertArrayEquals(new int[] {1, 2, 9}, train.labels());
        assertEquals(List.of(1, 28, 28, 10), List.of(train.channels(), train.height(), train.width(), train.classes()));
        ImageSet test = IdxReader.readFashionMnist(dir, Split.TEST);
        assertArrayEquals(testPx, test.pixels());
        assertArrayEquals(new int[] {0, 5}, test.labels());
    }

    @Test
    void concatenatedGzipMembersAreOneStream() throws IOException {
        byte[] images = IdxFixtures.images(4, 2, 2, pixels(16, 4));
        byte[] a = IdxFixtures.gzip(Arrays.copyOf(images, 10));
        byte[] b = IdxFixtures.gzip(Arrays.copyOfRange(images, 10, images.length));
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Path file = Files.write(dir.resolve("cat.gz"), both);
        assertArrayEquals(pixels(16, 4), IdxReader.readImages(file).pixels());
    }

    @Test
    void wrongMagicNamesExpectedAndFound() throws IOException {
        Path file = Files.write(dir.resolve("labels-as-images"), IdxFixtures.labels(new int[] {1, 2}));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertEquals("byte 0", e.location());
        assertMessage(e, "labels-as-images", "wrong magic 0x00000801", "expected 0x00000803");
        Path gz = Files.write(dir.resolve("img.gz"), IdxFixtures.gzip(IdxFixtures.images(1, 1, 1, new byte[1])));
        IdxFormatException g = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(gz, 10));
        assertMessage(g, "img.gz", "byte 0 of the decompressed data", "0x00000803", "expected 0x00000801");
    }

    @Test
    void truncatedDataNamesDeclaredAvailableAndOffset() throws IOException {
        byte[] images = IdxFixtures.images(3, 4, 4, pixels(48, 5));
        Path plain = Files.write(dir.resolve("short"), Arrays.copyOf(images, images.length - 10));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(plain));
        assertEquals("byte 54", e.location());
        assertMessage(e, "short", "truncated", "48 bytes from byte 16", "only 38 are available");

        Path gz = Files.write(dir.resolve("short.gz"), IdxFixtures.gzip(Arrays.copyOf(images, images.length - 10)));
        IdxFormatException g = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(gz));
        assertEquals("byte 54 of the decompressed data", g.location());
        assertMessage(g, "short.gz", "only 38 are available");

        Path header = Files.write(dir.resolve("header"), Arrays.copyOf(images, 10));
        IdxFormatException h = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(header));
        assertMessage(h, "header", "truncated header", "16-byte header");
    }

    @Test
    void hugeDeclaredCountsFailBeforeAllocating() throws IOException {
        byte[] images = IdxFixtures.images(3, 4, 4, pixels(48, 5));
        ByteBuffer.wrap(images).putInt(4, Integer.MAX_VALUE);
        Path plain = Files.write(dir.resolve("huge"), images);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(plain));
        assertMessage(e, "huge", "declares 2147483647 images of 4x4 = 34359738352 bytes", "only 48");
        Path gz = Files.write(dir.resolve("huge.gz"), IdxFixtures.gzip(images));
        IdxFormatException g = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(gz));
        assertMessage(g, "huge.gz", "decompresses to at most");
        ByteBuffer.wrap(images).putInt(4, -1);
        Files.write(plain, images);
        IdxFormatException u = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(plain));
        assertEquals("byte 4", u.location());
        assertMessage(u, "image count 4294967295 is out of range");
    }

    @Test
    void bytesAfterTheDeclaredDataAreAnError() throws IOException {
        byte[] labels = IdxFixtures.labels(new int[] {1, 2, 3});
        byte[] longer = Arrays.copyOf(labels, labels.length + 5);
        Path plain = Files.write(dir.resolve("long"), longer);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(plain, 10));
        assertEquals("byte 11", e.location());
        assertMessage(e, "5 bytes after the declared 3 labels");
        Path gz = Files.write(dir.resolve("long.gz"), IdxFixtures.gzip(longer));
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(gz, 10)), "more data after");
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path img = Files.write(dir.resolve("images"), IdxFixtures.images(3, 2, 2, pixels(12, 6)));
        Path lab = Files.write(dir.resolve("labels"), IdxFixtures.labels(new int[] {1, 2}));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read("x", img, lab, 10));
        assertMessage(e, "labels", "holds 2 labels", img + " holds 3 images");
    }

    @Test
    void labelOutOfRangeUsesTheClassCount() throws IOException {
        Path lab = Files.write(dir.resolve("labels.gz"), IdxFixtures.gzip(IdxFixtures.labels(new int[] {0, 4, 7, 1})));
        assertArrayEquals(new int[] {0, 4, 7, 1}, IdxReader.readLabels(lab, 10));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(lab, 5));
        assertEquals("byte 10 of the decompressed data", e.location());
        assertMessage(e, "labels.gz", "label 7 of item 2 is out of range 0-4");
        Path ten = Files.write(dir.resolve("ten"), IdxFixtures.labels(new int[] {9, 10}));
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(ten, 10)),
                "label 10 of item 1 is out of range 0-9", "byte 9");
    }

    @Test
    void corruptGzipIsWrappedWithFileAndOffset() throws IOException {
        byte[] px = new byte[20 * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 7 * 30); // compressible, so the flips below land in Huffman-coded data
        }
        byte[] gz = IdxFixtures.gzip(IdxFixtures.images(20, 8, 8, px));
        byte[] flipped = gz.clone();
        for (int i = gz.length / 2; i < gz.length / 2 + 4; i++) {
            flipped[i] ^= (byte) 0x5A;
        }
        Path bad = Files.write(dir.resolve("bad.gz"), flipped);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(bad));
        assertMessage(e, "bad.gz", "corrupt gzip data", "(compressed byte ");
        assertTrue(e.getCause() instanceof java.util.zip.ZipException, String.valueOf(e.getCause()));

        byte[] crc = gz.clone();
        crc[crc.length - 8] ^= 1;
        Path badCrc = Files.write(dir.resolve("crc.gz"), crc);
        IdxFormatException c = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(badCrc));
        assertEquals("compressed byte " + (gz.length - 8), c.location());
        assertMessage(c, "CRC32 mismatch");

        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(cut)), "cut.gz",
                "corrupt gzip data", "truncated");

        byte[] trailing = Arrays.copyOf(gz, gz.length + 3);
        Path tail = Files.write(dir.resolve("tail.gz"), trailing);
        IdxFormatException t = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(tail));
        assertEquals("compressed byte " + gz.length, t.location());
        assertMessage(t, "3 bytes of trailing data");
    }

    @Test
    void missingFilesNameWhatWasExpected() throws IOException {
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readFashionMnist(dir, Split.TEST));
        assertMessage(e, dir.resolve("t10k-images-idx3-ubyte.gz").toAbsolutePath().toString(),
                dir.resolve("t10k-images-idx3-ubyte").toString());
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(dir.resolve("nope"))),
                "missing IDX file", "nope");
    }

    @Test
    void fashionMnistMustBe28By28() throws IOException {
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFixtures.images(1, 27, 28, new byte[27 * 28]));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFixtures.labels(new int[] {3}));
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readFashionMnist(dir, Split.TEST)),
                "27x28", "byte 8");
    }

    @Test
    void fuzzedFilesOnlyEverFailWithIdxFormatException() throws IOException {
        byte[] images = IdxFixtures.images(6, 5, 4, pixels(120, 8));
        byte[] labels = IdxFixtures.labels(new int[] {0, 1, 9, 2, 5, 5});
        int[] imageFields = {0, 4, 8, 12};
        int[] labelFields = {0, 4};
        List<MutationFuzzer.Seed> seeds = List.of(
                new MutationFuzzer.Seed("images", images, imageFields, false),
                new MutationFuzzer.Seed("images.gz", images, imageFields, true),
                new MutationFuzzer.Seed("labels", labels, labelFields, false),
                new MutationFuzzer.Seed("labels.gz", labels, labelFields, true));
        Path good = Files.createDirectories(dir.resolve("good"));
        Path goodImages = Files.write(good.resolve("images"), images);
        Path goodLabels = Files.write(good.resolve("labels.gz"), IdxFixtures.gzip(labels));
        // one mutated file, paired with a valid partner so count mismatches are exercised too
        MutationFuzzer.Outcome o = MutationFuzzer.run(dir, seeds, file -> {
            if (file.getFileName().toString().startsWith("images")) {
                IdxReader.read("fuzz", file, goodLabels, 10);
            } else {
                IdxReader.read("fuzz", goodImages, file, 10);
            }
        }, IdxFormatException.class, 20240612L, Duration.ofSeconds(2));
        System.out.println("IDX fuzz: " + o);
    }

    @Test
    void knownChecksumsMatchTheInstalledFiles() throws Exception {
        Path d = IdxReader.defaultFashionMnistDir();
        for (IdxReader.KnownFile known : IdxReader.FASHION_MNIST_FILES) {
            Path gz = d.resolve(known.name() + ".gz");
            Assumptions.assumeTrue(Files.isRegularFile(gz), "Fashion-MNIST not installed at " + d);
            MessageDigest md = MessageDigest.getInstance("MD5");
            long bytes = 0;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; bytes += n) {
                    md.update(buf, 0, n);
                }
            }
            assertEquals(known.bytes(), bytes, known.name());
            assertEquals(known.md5(), HexFormat.of().formatHex(md.digest()), known.name());
        }
    }

    @Test
    void readsTheRealFashionMnist() throws Exception {
        Path d = IdxReader.defaultFashionMnistDir();
        Assumptions.assumeTrue(Files.isRegularFile(d.resolve("train-images-idx3-ubyte.gz"))
                && Files.isRegularFile(d.resolve("t10k-labels-idx1-ubyte.gz")), "Fashion-MNIST not installed at " + d);
        ImageSet train = IdxReader.readFashionMnist(d, Split.TRAIN);
        ImageSet test = IdxReader.readFashionMnist(d, Split.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        int[] perClass = new int[10];
        for (int l : train.labels()) {
            perClass[l]++;
        }
        int[] six = new int[10];
        Arrays.fill(six, 6000);
        assertArrayEquals(six, perClass);
        assertTrue(Arrays.stream(test.labels()).allMatch(l -> l >= 0 && l <= 9));
        // the decoded pixels, with their header, are byte for byte Debian's decompressed files
        assertEquals(IdxReader.FASHION_MNIST_TRAIN_IMAGES.md5(), md5(IdxFixtures.images(60_000, 28, 28, train.pixels())));
        assertEquals(IdxReader.FASHION_MNIST_TEST_IMAGES.md5(), md5(IdxFixtures.images(10_000, 28, 28, test.pixels())));
        assertEquals(IdxReader.FASHION_MNIST_TEST_LABELS.md5(), md5(IdxFixtures.labels(test.labels())));
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
