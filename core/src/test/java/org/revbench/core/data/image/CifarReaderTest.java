package org.revbench.core.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;

class CifarReaderTest {

    private static final int IMAGE = 3072;

    @TempDir
    Path dir;

    /** Records built from labels and pixels, as the format defines them. */
    private static byte[] records(int[][] labelBytes, byte[] pixels) {
        int labelCount = labelBytes[0].length;
        byte[] out = new byte[labelBytes.length * (labelCount + IMAGE)];
        for (int r = 0; r < labelBytes.length; r++) {
            int at = r * (labelCount + IMAGE);
            for (int k = 0; k < labelCount; k++) {
                out[at + k] = (byte) labelBytes[r][k];
            }
            System.arraycopy(pixels, r * IMAGE, out, at + labelCount, IMAGE);
        }
        return out;
    }

    private static byte[] randomPixels(int images, long seed) {
        byte[] p = new byte[images * IMAGE];
        new SplittableRandom(seed).nextBytes(p);
        return p;
    }

    private static byte[] cifar10(int[] labels, byte[] pixels) {
        int[][] l = new int[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            l[i] = new int[] {labels[i]};
        }
        return records(l, pixels);
    }

    @Test
    void readsCifar10TrainAcrossBatchesInOrderAndTest() throws IOException {
        Path base = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        byte[][] pixels = new byte[5][];
        int[][] labels = new int[5][];
        for (int b = 0; b < 5; b++) {
            labels[b] = new int[] {b, (b + 3) % 10, 9};
            pixels[b] = randomPixels(3, b);
            Files.write(base.resolve("data_batch_" + (b + 1) + ".bin"), cifar10(labels[b], pixels[b]));
        }
        Files.write(base.resolve("test_batch.bin"), cifar10(new int[] {7, 0}, randomPixels(2, 99)));

        ImageSet train = CifarReader.readCifar10(dir, Split.TRAIN); // the parent of cifar-10-batches-bin
        assertEquals(15, train.size());
        assertEquals(List.of(3, 32, 32, 10), List.of(train.channels(), train.height(), train.width(), train.classes()));
        for (int b = 0; b < 5; b++) {
            assertArrayEquals(pixels[b], Arrays.copyOfRange(train.pixels(), b * 3 * IMAGE, (b + 1) * 3 * IMAGE));
            assertArrayEquals(labels[b], Arrays.copyOfRange(train.labels(), b * 3, b * 3 + 3));
        }
        // planar: the first 1024 pixel bytes of a record are red, row-major
        assertEquals(pixels[0][IMAGE + 32 * 5 + 7] & 0xFF, train.pixel(1, 0, 5, 7));
        assertEquals(pixels[0][IMAGE + 2048 + 32 * 31 + 31] & 0xFF, train.pixel(1, 2, 31, 31));

        ImageSet test = CifarReader.readCifar10(base, Split.TEST); // the extracted folder itself
        assertArrayEquals(new int[] {7, 0}, test.labels());
        assertArrayEquals(randomPixels(2, 99), test.pixels());
    }

    @Test
    void readsCifar100FineByDefaultAndCoarseOnRequest() throws IOException {
        Path base = Files.createDirectories(dir.resolve("cifar-100-binary"));
        byte[] pixels = randomPixels(4, 5);
        int[][] labels = {{0, 99}, {19, 3}, {7, 50}, {11, 0}};
        Files.write(base.resolve("train.bin"), records(labels, pixels));
        Files.write(base.resolve("test.bin"), records(new int[][] {{1, 2}}, randomPixels(1, 6)));

        ImageSet fine = CifarReader.readCifar100(dir, Split.TRAIN);
        assertArrayEquals(new int[] {99, 3, 50, 0}, fine.labels());
        assertEquals(100, fine.classes());
        assertArrayEquals(pixels, fine.pixels());

        ImageSet coarse = CifarReader.readCifar100(dir, Split.TRAIN, Cifar100Labels.COARSE);
        assertArrayEquals(new int[] {0, 19, 7, 11}, coarse.labels());
        assertEquals(20, coarse.classes());
        assertArrayEquals(pixels, coarse.pixels());

        ImageSet test = CifarReader.readCifar100File(base.resolve("test.bin"), Cifar100Labels.FINE);
        assertArrayEquals(new int[] {2}, test.labels());
        assertArrayEquals(randomPixels(1, 6), test.pixels());
    }

    @Test
    void truncatedRecordNamesItsStartingByte() throws IOException {
        byte[] full = cifar10(new int[] {1, 2, 3}, randomPixels(3, 1));
        Path file = dir.resolve("data_batch_1.bin");
        Files.write(file, Arrays.copyOf(full, 2 * 3073 + 100));
        CifarFormatException e = assertThrows(CifarFormatException.class, () -> CifarReader.readCifar10File(file));
        assertTrue(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
        assertEquals("byte 6146", e.location());
        assertTrue(e.getMessage().contains("truncated to 100 bytes"), e.getMessage());
    }

    @Test
    void cifar10LabelOutOfRangeNamesRecordOffsetAndValue() throws IOException {
        Path file = dir.resolve("test_batch.bin");
        Files.write(file, cifar10(new int[] {1, 10, 3}, randomPixels(3, 1)));
        CifarFormatException e = assertThrows(CifarFormatException.class, () -> CifarReader.readCifar10File(file));
        assertEquals("byte 3073", e.location());
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("label 10 ")
                && e.getMessage().contains("out of range 0-9"), e.getMessage());
    }

    @Test
    void cifar100ChecksBothLabelsWhicheverIsKept() throws IOException {
        Path file = dir.resolve("train.bin");
        Files.write(file, records(new int[][] {{0, 0}, {0, 0}, {3, 100}}, randomPixels(3, 2)));
        CifarFormatException fine = assertThrows(CifarFormatException.class,
                () -> CifarReader.readCifar100File(file, Cifar100Labels.COARSE));
        assertEquals("byte 6148", fine.location());
        assertTrue(fine.getMessage().contains("fine label 100") && fine.getMessage().contains("byte 6149"),
                fine.getMessage());

        Files.write(file, records(new int[][] {{20, 5}}, randomPixels(1, 2)));
        CifarFormatException coarse = assertThrows(CifarFormatException.class,
                () -> CifarReader.readCifar100File(file, Cifar100Labels.FINE));
        assertEquals("byte 0", coarse.location());
        assertTrue(coarse.getMessage().contains("coarse label 20") && coarse.getMessage().contains("0-19"),
                coarse.getMessage());
    }

    @Test
    void missingFileNamesTheExpectedPath() throws IOException {
        for (int b = 1; b <= 5; b++) {
            if (b != 3) {
                Files.write(dir.resolve("data_batch_" + b + ".bin"), cifar10(new int[] {1}, randomPixels(1, b)));
            }
        }
        CifarFormatException e = assertThrows(CifarFormatException.class,
                () -> CifarReader.readCifar10(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains(dir.resolve("data_batch_3.bin").toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());

        CifarFormatException e100 = assertThrows(CifarFormatException.class,
                () -> CifarReader.readCifar100(dir, Split.TEST));
        assertTrue(e100.getMessage().contains(dir.resolve("test.bin").toString()), e100.getMessage());
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path file = Files.write(dir.resolve("data_batch_1.bin"), new byte[0]);
        CifarFormatException e = assertThrows(CifarFormatException.class, () -> CifarReader.readCifar10File(file));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    /** CIFAR has no header: its label bytes, at the record starts, are the fields set to extreme values. */
    private static int[] recordStarts(int records, int recordBytes) {
        int[] at = new int[records];
        for (int r = 0; r < records; r++) {
            at[r] = r * recordBytes;
        }
        return at;
    }

    @Test
    void fuzzedFilesOnlyEverFailWithCifarFormatException() {
        byte[] ten = cifar10(new int[] {0, 9, 4, 5, 1, 2}, randomPixels(6, 11));
        byte[] hundred = records(new int[][] {{0, 0}, {19, 99}, {5, 42}, {1, 1}}, randomPixels(4, 12));
        List<MutationFuzzer.Seed> seeds = List.of(new MutationFuzzer.Seed("data_batch_1.bin", ten, recordStarts(6, 3073), false),
                new MutationFuzzer.Seed("train.bin", hundred, recordStarts(4, 3074), false));
        MutationFuzzer.Outcome o = MutationFuzzer.run(dir, seeds, file -> {
            if (file.getFileName().toString().equals("train.bin")) {
                CifarReader.readCifar100File(file, Cifar100Labels.FINE);
            } else {
                CifarReader.readCifar10File(file);
            }
        }, CifarFormatException.class, 20240611L, Duration.ofSeconds(2));
        System.out.println("CIFAR fuzz: " + o);
    }
}
