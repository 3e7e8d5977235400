package org.revbench.core.data.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/** Streaming MD5 of files, and of the gunzipped content of .gz files. */
public final class Checksums {

    private Checksums() {}

    /** The MD5 and length of everything {@code in} yields. */
    public record Digest(String md5, long bytes) {}

    public static Digest md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    /** MD5 of the decompressed content of a gzip file. */
    public static Digest contentMd5(Path gzFile) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzFile), 1 << 16)) {
            return digest(in);
        }
    }

    static Digest digest(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
            total += n;
        }
        return new Digest(HexFormat.of().formatHex(md.digest()), total);
    }
}
