package org.revbench.core.data.image;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;

/**
 * Reads IDX files (MNIST, Fashion-MNIST), plain or gzip-compressed; gzip is recognised by its magic bytes 1f 8b,
 * whatever the file is called.
 *
 * <ul>
 *   <li>images: big-endian u32 magic {@code 0x00000803}, count, rows, columns, then {@code count*rows*cols}
 *       unsigned pixel bytes;</li>
 *   <li>labels: magic {@code 0x00000801}, count, then {@code count} unsigned label bytes.</li>
 * </ul>
 *
 * <p>The sizes a header declares are checked against what the file can hold before anything of that size is
 * allocated (plain files: their size; gzip: the deflate limit of {@value #MAX_DEFLATE_RATIO} to 1), so a corrupt
 * header gives an {@link IdxFormatException}, never an {@link OutOfMemoryError}. Bytes after the declared data
 * are an error too.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    public static final int FASHION_MNIST_CLASSES = 10;
    public static final int FASHION_MNIST_SIDE = 28;
    /** Deflate cannot expand data by more than about 1032 to 1, which bounds what a gzip file can decompress to. */
    public static final int MAX_DEFLATE_RATIO = 1032;

    /** A file of a dataset as Debian ships it: its name without {@code .gz}, decompressed size and MD5. */
    public record KnownFile(String name, long bytes, String md5) {}

    public static final KnownFile FASHION_MNIST_TRAIN_IMAGES =
            new KnownFile("train-images-idx3-ubyte", 47_040_016L, "f4a8712d7a061bf5bd6d2ca38dc4d50a");
    public static final KnownFile FASHION_MNIST_TRAIN_LABELS =
            new KnownFile("train-labels-idx1-ubyte", 60_008L, "9018921c3c673c538a1fc5bad174d6f9");
    public static final KnownFile FASHION_MNIST_TEST_IMAGES =
            new KnownFile("t10k-images-idx3-ubyte", 7_840_016L, "8181f5470baa50b63fa0f6fddb340f0a");
    public static final KnownFile FASHION_MNIST_TEST_LABELS =
            new KnownFile("t10k-labels-idx1-ubyte", 10_008L, "15d484375f8d13e6eb1aabb0c3f46965");
    /** The four files, MD5 of their decompressed content (Debian package {@code dataset-fashion-mnist}). */
    public static final List<KnownFile> FASHION_MNIST_FILES = List.of(FASHION_MNIST_TRAIN_IMAGES,
            FASHION_MNIST_TRAIN_LABELS, FASHION_MNIST_TEST_IMAGES, FASHION_MNIST_TEST_LABELS);

    private static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int IMAGES_HEADER_BYTES = 16;
    private static final int LABELS_HEADER_BYTES = 8;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** First buffer for gzip data whose trailer gives no usable size. */
    private static final int DEFAULT_GZIP_BUFFER = 1 << 20;

    private IdxReader() {}

    /** Decoded IDX images: {@code pixels[i*rows*cols, (i+1)*rows*cols)} is image {@code i}, row-major. */
    public record Images(byte[] pixels, int count, int rows, int cols) {}

    /** Where Debian's {@code dataset-fashion-mnist} installs the four {@code .gz} files. */
    public static Path defaultFashionMnistDir() {
        return FASHION_MNIST_DIR;
    }

    /**
     * Fashion-MNIST train (60,000) or test (10,000) from {@code dir}, which holds
     * {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}, each plain or with {@code .gz}: 1 x 28 x 28, 10 classes.
     */
    public static ImageSet readFashionMnist(Path dir, Split split) throws IOException {
        boolean test = split == Split.TEST;
        Path images = resolve(dir, (test ? FASHION_MNIST_TEST_IMAGES : FASHION_MNIST_TRAIN_IMAGES).name());
        Path labels = resolve(dir, (test ? FASHION_MNIST_TEST_LABELS : FASHION_MNIST_TRAIN_LABELS).name());
        ImageSet set = read("fashion-mnist-" + (test ? "test" : "train"), images, labels, FASHION_MNIST_CLASSES);
        if (set.height() != FASHION_MNIST_SIDE || set.width() != FASHION_MNIST_SIDE) {
            throw new IdxFormatException(images, DatasetFormatException.atByte(8), "images are " + set.height() + "x"
                    + set.width() + ", Fashion-MNIST's are " + FASHION_MNIST_SIDE + "x" + FASHION_MNIST_SIDE);
        }
        return set;
    }

    /** {@code dir/name} if it exists, else {@code dir/name.gz}; a missing pair is an error naming both. */
    public static Path resolve(Path dir, String name) throws IdxFormatException {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new IdxFormatException(gz, "", "missing IDX file: expected " + gz.toAbsolutePath() + " or " + plain);
    }

    /** An image file and its label file as one single-channel set; counts must agree, labels be below {@code classes}. */
    public static ImageSet read(String name, Path imagesFile, Path labelsFile, int classes) throws IOException {
        int[] labels = readLabels(labelsFile, classes);
        Images images = readImages(imagesFile);
        if (images.count() != labels.length) {
            throw new IdxFormatException(labelsFile, DatasetFormatException.atByte(4), "holds " + labels.length
                    + " labels, but " + imagesFile + " holds " + images.count() + " images");
        }
        return new ImageSet(name, images.pixels(), labels, 1, images.rows(), images.cols(), classes);
    }

    /** An IDX image file ({@code 0x00000803}). */
    public static Images readImages(Path file) throws IOException {
        try (Source src = Source.open(file)) {
            src.expectMagic(IMAGES_MAGIC, IMAGES_HEADER_BYTES);
            int count = src.dimension("image count");
            int rows = src.dimension("rows");
            int cols = src.dimension("columns");
            if (rows == 0 || cols == 0) {
                throw src.error(rows == 0 ? 8 : 12, "image size " + rows + "x" + cols + " is empty");
            }
            // three 31-bit factors can overflow a long: saturate, the size checks then reject it
            long declared = saturatingProduct(saturatingProduct(count, rows), cols);
            byte[] pixels = src.data(declared, count + " images of " + rows + "x" + cols);
            return new Images(pixels, count, rows, cols);
        }
    }

    /** An IDX label file ({@code 0x00000801}); every label must lie in {@code [0, classes)}. */
    public static int[] readLabels(Path file, int classes) throws IOException {
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("classes must be 1-256 for byte labels, got " + classes);
        }
        try (Source src = Source.open(file)) {
            src.expectMagic(LABELS_MAGIC, LABELS_HEADER_BYTES);
            int count = src.dimension("label count");
            byte[] bytes = src.data(count, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                int v = bytes[i] & 0xFF;
                if (v >= classes) {
                    throw src.error(LABELS_HEADER_BYTES + i, "label " + v + " of item " + i + " is out of range 0-"
                            + (classes - 1));
                }
                labels[i] = v;
            }
            return labels;
        }
    }

    /** The decompressed bytes of one IDX file, read in order, with positions for error messages. */
    private static final class Source implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        /** Plain: the file size; gzip: -1. */
        private final long plainSize;
        /** Gzip: the compressed size; plain: -1. */
        private final long gzipSize;
        private final long sizeHint;
        private long position;
        private int headerBytes;

        private Source(Path file, InputStream in, long plainSize, long gzipSize, long sizeHint) {
            this.file = file;
            this.in = in;
            this.plainSize = plainSize;
            this.gzipSize = gzipSize;
            this.sizeHint = sizeHint;
        }

        static Source open(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new IdxFormatException(file, "", "missing IDX file: expected " + file.toAbsolutePath());
            }
            byte[] head;
            try (InputStream probe = new FileInputStream(file.toFile())) {
                head = probe.readNBytes(2);
            }
            if (!GunzipStream.hasMagic(head, head.length)) {
                long size = Files.size(file);
                return new Source(file, new BufferedInputStream(new FileInputStream(file.toFile()), 1 << 16), size, -1,
                        size);
            }
            // the compressed file is small next to what it decodes to; holding it lets errors name exact offsets
            byte[] raw;
            try (InputStream f = new FileInputStream(file.toFile())) {
                raw = f.readAllBytes();
            }
            try {
                return new Source(file, new GunzipStream(raw), -1, raw.length, GunzipStream.sizeHint(raw));
            } catch (ZipException e) {
                throw corruptGzip(file, e);
            }
        }

        void expectMagic(int magic, int headerBytes) throws IOException {
            this.headerBytes = headerBytes;
            byte[] b = readFully(4, "magic number");
            int found = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
            if (found != magic) {
                String hint = found == IMAGES_MAGIC ? " (an image file)" : found == LABELS_MAGIC ? " (a label file)" : "";
                throw error(0, String.format("wrong magic 0x%08x%s, expected 0x%08x (%s)", found, hint, magic,
                        magic == IMAGES_MAGIC ? "IDX images: u8, 3 dimensions" : "IDX labels: u8, 1 dimension"));
            }
        }

        /** The next big-endian u32 header field, which must fit an int. */
        int dimension(String what) throws IOException {
            long at = position;
            byte[] b = readFully(4, what);
            long v = (b[0] & 0xFFL) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
            if (v > Integer.MAX_VALUE) {
                throw error(at, what + " " + v + " is out of range");
            }
            return (int) v;
        }

        /** The {@code declared} data bytes after the header, which must end the file. */
        byte[] data(long declared, String what) throws IOException {
            if (declared < 0) {
                throw new IllegalArgumentException("negative size " + declared);
            }
            if (plainSize >= 0 && declared > plainSize - position) {
                throw truncated(declared, plainSize - position, what);
            }
            if (gzipSize >= 0 && declared > gzipSize * MAX_DEFLATE_RATIO - position) {
                throw error(position, "truncated: the header declares " + what + " = " + declared + " bytes, but a "
                        + gzipSize + "-byte gzip file decompresses to at most " + gzipSize * MAX_DEFLATE_RATIO);
            }
            if (declared > MAX_ARRAY) {
                throw error(4, "the header declares " + what + " = " + declared
                        + " bytes, more than one Java array holds");
            }
            long start = position;
            int n = (int) declared;
            // plain: exact size, already checked; gzip: the trailer's size if plausible, grown as data arrives
            long hint = sizeHint - headerBytes;
            byte[] buf = new byte[(int) Math.min(n, hint >= 0 && hint <= n ? Math.max(hint, 1) : DEFAULT_GZIP_BUFFER)];
            int got = 0;
            while (got < n) {
                if (got == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
                }
                int r = read(buf, got, buf.length - got);
                if (r < 0) {
                    throw truncated(declared, got, what);
                }
                got += r;
            }
            position = start + n;
            if (plainSize >= 0 ? position < plainSize : read(new byte[1], 0, 1) >= 0) {
                throw error(position, (plainSize >= 0 ? (plainSize - position) + " bytes" : "more data")
                        + " after the declared " + what + " (" + declared + " bytes)");
            }
            return buf;
        }

        IdxFormatException error(long offset, String problem) {
            return new IdxFormatException(file, location(offset), problem);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private String location(long offset) {
            return DatasetFormatException.atByte(offset) + (plainSize >= 0 ? "" : " of the decompressed data");
        }

        private IdxFormatException truncated(long declared, long available, String what) {
            long dataStart = position;
            return error(dataStart + available, "truncated: the header declares " + what + " = " + declared
                    + " bytes from byte " + dataStart + ", only " + available + " are available");
        }

        private byte[] readFully(int bytes, String what) throws IOException {
            byte[] b = new byte[bytes];
            int got = 0;
            while (got < bytes) {
                int r = read(b, got, bytes - got);
                if (r < 0) {
                    throw error(position + got, "truncated header: file ends in the " + what + ", the "
                            + headerBytes + "-byte header has only " + (position + got) + " bytes");
                }
                got += r;
            }
            position += bytes;
            return b;
        }

        private int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (ZipException e) {
                throw corruptGzip(file, e);
            }
        }
    }

    private static long saturatingProduct(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    private static IdxFormatException corruptGzip(Path file, ZipException e) {
        String where = e instanceof GunzipStream.CorruptGzipException c
                ? "compressed " + DatasetFormatException.atByte(c.offset()) : "";
        return new IdxFormatException(file, where, "corrupt gzip data: " + e.getMessage(), e);
    }
}
