package org.revbench.core.data.simulate;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.revbench.core.data.ImageSet;

/**
 * Minimal reader of the Fashion-MNIST IDX files installed by Debian's {@code dataset-fashion-mnist}, for tests
 * that want real images (the project's reader lives in {@code data.image}; this one stays independent of it).
 */
final class FashionMnistFiles {

    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnistFiles() {}

    static boolean available() {
        return Files.isReadable(DIR.resolve("t10k-images-idx3-ubyte.gz"))
                && Files.isReadable(DIR.resolve("t10k-labels-idx1-ubyte.gz"));
    }

    /** The first {@code limit} test images. */
    static ImageSet test(int limit) throws IOException {
        byte[] pixels;
        int count;
        try (DataInputStream in = open("t10k-images-idx3-ubyte.gz")) {
            if (in.readInt() != 0x803) {
                throw new IOException("not an IDX image file");
            }
            count = Math.min(limit, in.readInt());
            int rows = in.readInt();
            int cols = in.readInt();
            pixels = new byte[count * rows * cols];
            in.readFully(pixels);
        }
        int[] labels = new int[count];
        try (DataInputStream in = open("t10k-labels-idx1-ubyte.gz")) {
            if (in.readInt() != 0x801) {
                throw new IOException("not an IDX label file");
            }
            in.readInt();
            for (int i = 0; i < count; i++) {
                labels[i] = in.readUnsignedByte();
            }
        }
        return new ImageSet("fashion-mnist-test", pixels, labels, 1, 28, 28, 10);
    }

    private static DataInputStream open(String name) throws IOException {
        InputStream raw = Files.newInputStream(DIR.resolve(name));
        return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    }
}
