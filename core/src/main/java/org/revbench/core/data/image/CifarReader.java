package org.revbench.core.data.image;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100 into an {@link ImageSet} (3 x 32 x 32, planar RGB, as the
 * files store it, so pixels are copied without reordering).
 *
 * <ul>
 *   <li>CIFAR-10: {@code cifar-10-batches-bin/data_batch_{1..5}.bin} (train, in that order) and
 *       {@code test_batch.bin}; records of 3073 bytes: label (0-9), 1024 R, 1024 G, 1024 B.</li>
 *   <li>CIFAR-100: {@code cifar-100-binary/train.bin} and {@code test.bin}; records of 3074 bytes: coarse label
 *       (0-19), fine label (0-99), pixels.</li>
 * </ul>
 *
 * <p>The directory given may be the extracted folder itself ({@code cifar-10-batches-bin}) or its parent. The
 * record count comes from the file size (the real files hold 10,000 / 50,000 records; smaller files in the same
 * format are accepted). Both labels of a CIFAR-100 record are range-checked, whichever one is kept: a bad byte in
 * either means the record is corrupt.
 *
 * <p>Speed: every file size is checked before anything is allocated, the result arrays are allocated once, and
 * files are read in bulk chunks of whole records (about 3 MiB, so memory stays at the result plus one chunk)
 * whose pixel blocks are moved with {@link System#arraycopy}.
 */
public final class CifarReader {

    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    /** Pixel bytes of one image. */
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    public static final int CIFAR10_RECORD_BYTES = 1 + IMAGE_BYTES;
    public static final int CIFAR100_RECORD_BYTES = 2 + IMAGE_BYTES;
    public static final int CIFAR10_CLASSES = 10;
    public static final String CIFAR10_DIR = "cifar-10-batches-bin";
    public static final String CIFAR100_DIR = "cifar-100-binary";
    public static final int CIFAR10_TRAIN_BATCHES = 5;

    private static final int[] CIFAR10_LIMITS = {CIFAR10_CLASSES};
    private static final String[] CIFAR10_LABEL_NAMES = {"label"};
    private static final int[] CIFAR100_LIMITS = {Cifar100Labels.COARSE.classes(), Cifar100Labels.FINE.classes()};
    private static final String[] CIFAR100_LABEL_NAMES = {"coarse label", "fine label"};
    /** Records per bulk read. */
    private static final int CHUNK_RECORDS = 1024;
    /** The largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private CifarReader() {}

    /** The record layout of one of the two formats, and which label byte becomes the class. */
    private record Layout(String dataset, int[] limits, String[] labelNames, int keep) {
        int labelBytes() { return limits.length; }

        int recordBytes() { return limits.length + IMAGE_BYTES; }

        int classes() { return limits[keep]; }
    }

    private static final Layout CIFAR10 = new Layout("CIFAR-10", CIFAR10_LIMITS, CIFAR10_LABEL_NAMES, 0);

    private static Layout cifar100(Cifar100Labels labels) {
        return new Layout("CIFAR-100", CIFAR100_LIMITS, CIFAR100_LABEL_NAMES, labels.byteIndex());
    }

    /** CIFAR-10 train (50,000 images from the five batches, in order) or test (10,000). */
    public static ImageSet readCifar10(Path dir, Split split) throws IOException {
        return read("cifar10-" + splitName(split), cifar10Files(dir, split), CIFAR10);
    }

    /** CIFAR-100 with its 100 fine labels. */
    public static ImageSet readCifar100(Path dir, Split split) throws IOException {
        return readCifar100(dir, split, Cifar100Labels.FINE);
    }

    /** CIFAR-100 train (50,000) or test (10,000), labelled with the fine (100) or coarse (20) classes. */
    public static ImageSet readCifar100(Path dir, Split split, Cifar100Labels labels) throws IOException {
        String name = "cifar100-" + splitName(split) + (labels == Cifar100Labels.COARSE ? "-coarse" : "");
        return read(name, List.of(cifar100File(dir, split)), cifar100(labels));
    }

    /** One CIFAR-10 batch file. */
    public static ImageSet readCifar10File(Path file) throws IOException {
        return read(String.valueOf(file.getFileName()), List.of(file), CIFAR10);
    }

    /** One CIFAR-100 file. */
    public static ImageSet readCifar100File(Path file, Cifar100Labels labels) throws IOException {
        return read(String.valueOf(file.getFileName()), List.of(file), cifar100(labels));
    }

    /** The CIFAR-10 files of a split, in reading order (whether or not they exist). */
    public static List<Path> cifar10Files(Path dir, Split split) {
        Path base = datasetDir(dir, CIFAR10_DIR);
        if (split == Split.TEST) {
            return List.of(base.resolve("test_batch.bin"));
        }
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= CIFAR10_TRAIN_BATCHES; i++) {
            files.add(base.resolve("data_batch_" + i + ".bin"));
        }
        return files;
    }

    /** The CIFAR-100 file of a split (whether or not it exists). */
    public static Path cifar100File(Path dir, Split split) {
        return datasetDir(dir, CIFAR100_DIR).resolve(split == Split.TEST ? "test.bin" : "train.bin");
    }

    /** {@code dir/folder} when that exists, so callers may pass the download directory or the extracted one. */
    private static Path datasetDir(Path dir, String folder) {
        Path inner = dir.resolve(folder);
        return Files.isDirectory(inner) ? inner : dir;
    }

    private static String splitName(Split split) {
        return split == Split.TEST ? "test" : "train";
    }

    private static ImageSet read(String name, List<Path> files, Layout layout) throws IOException {
        int recordBytes = layout.recordBytes();
        long[] records = new long[files.size()];
        long total = 0;
        // every size is checked before the result is allocated, so a wrong file costs no memory
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            records[f] = recordCount(file, layout);
            total += records[f];
            if (total * IMAGE_BYTES > MAX_ARRAY) {
                throw new CifarFormatException(file, "", "the files up to this one hold " + total
                        + " images, more pixel bytes than one Java array holds");
            }
        }
        byte[] pixels = new byte[Math.toIntExact(total * IMAGE_BYTES)];
        int[] labels = new int[(int) total];
        long largest = 0;
        for (long r : records) {
            largest = Math.max(largest, r);
        }
        byte[] chunk = new byte[(int) Math.min(CHUNK_RECORDS, largest) * recordBytes];
        int image = 0;
        for (int f = 0; f < files.size(); f++) {
            image = decodeFile(files.get(f), records[f], layout, chunk, pixels, labels, image);
        }
        return new ImageSet(name, pixels, labels, CHANNELS, SIDE, SIDE, layout.classes());
    }

    /** Records in a file, from its size, which must be a positive multiple of the record size. */
    private static long recordCount(Path file, Layout layout) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CifarFormatException(file, "", "missing " + layout.dataset() + " file: expected "
                    + file.toAbsolutePath());
        }
        long size = Files.size(file);
        int recordBytes = layout.recordBytes();
        if (size == 0) {
            throw new CifarFormatException(file, DatasetFormatException.atByte(0), "empty file, expected "
                    + layout.dataset() + " records of " + recordBytes + " bytes");
        }
        long partial = size % recordBytes;
        if (partial != 0) {
            long start = size - partial;
            throw new CifarFormatException(file, DatasetFormatException.atByte(start), "file size " + size
                    + " is not a multiple of the " + recordBytes + "-byte " + layout.dataset()
                    + " record: record " + start / recordBytes + " starting at byte " + start + " is truncated to "
                    + partial + " bytes");
        }
        return size / recordBytes;
    }

    /** Decodes all records of one file into {@code pixels} / {@code labels} from image {@code first} on. */
    private static int decodeFile(Path file, long records, Layout layout, byte[] chunk, byte[] pixels, int[] labels,
            int first) throws IOException {
        int recordBytes = layout.recordBytes();
        int labelBytes = layout.labelBytes();
        int[] limits = layout.limits();
        int keep = layout.keep();
        int image = first;
        // FileInputStream rather than Files.newInputStream: a channel stream reading into a heap array goes through
        // a temporary direct buffer of the request's size, which the JDK then keeps cached per thread
        try (InputStream in = new FileInputStream(file.toFile())) {
            for (long done = 0; done < records; ) {
                int n = (int) Math.min(chunk.length / recordBytes, records - done);
                int want = n * recordBytes;
                int got = in.readNBytes(chunk, 0, want);
                if (got < want) {
                    long end = done * recordBytes + got;
                    throw new CifarFormatException(file, DatasetFormatException.atByte(end), "file ended at byte "
                            + end + " while reading, before its " + records * recordBytes + " bytes (changed on disk?)");
                }
                for (int r = 0; r < n; r++) {
                    int off = r * recordBytes;
                    for (int k = 0; k < labelBytes; k++) {
                        int v = chunk[off + k] & 0xFF;
                        if (v >= limits[k]) {
                            throw badLabel(file, layout, done + r, k, v);
                        }
                    }
                    labels[image] = chunk[off + keep] & 0xFF;
                    System.arraycopy(chunk, off + labelBytes, pixels, image * IMAGE_BYTES, IMAGE_BYTES);
                    image++;
                }
                done += n;
            }
        }
        return image;
    }

    private static CifarFormatException badLabel(Path file, Layout layout, long record, int k, int value) {
        long recordStart = record * layout.recordBytes();
        return new CifarFormatException(file, DatasetFormatException.atByte(recordStart), "record " + record
                + " (starting at byte " + recordStart + "): " + layout.labelNames()[k] + " " + value
                + " at byte " + (recordStart + k) + " is out of range 0-" + (layout.limits()[k] - 1));
    }
}
