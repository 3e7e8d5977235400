package org.revbench.core.data.catalog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.revbench.core.data.DatasetFormatException;

/**
 * Extracts the datasets' archives (tar.gz, zip) without external tools. Only regular files and folders are
 * written, and never outside the target folder (an entry such as {@code ../x} is an error).
 */
public final class ArchiveExtractor {

    /** A damaged or hostile archive. */
    public static final class ArchiveFormatException extends DatasetFormatException {
        private static final long serialVersionUID = 1L;

        public ArchiveFormatException(Path file, String location, String problem) {
            super(file, location, problem);
        }
    }

    private ArchiveExtractor() {}

    /** Extracts {@code archive} into {@code target} by its name's suffix; returns the number of files written. */
    public static int extract(Path archive, Path target) throws IOException {
        String n = archive.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        Files.createDirectories(target);
        if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
                return untar(archive, in, target);
            }
        }
        if (n.endsWith(".zip")) {
            return unzip(archive, target);
        }
        throw new ArchiveFormatException(archive, "", "unknown archive type (expected .tar.gz, .tgz or .zip)");
    }

    static int untar(Path archive, InputStream in, Path target) throws IOException {
        byte[] header = new byte[512];
        long offset = 0;
        int files = 0;
        String longName = null;
        while (true) {
            int r = in.readNBytes(header, 0, 512);
            if (r == 0) {
                break;
            }
            if (r < 512) {
                throw new ArchiveFormatException(archive, "tar byte " + offset, "truncated header");
            }
            if (isZero(header)) {
                break; // end-of-archive marker
            }
            String name = longName != null ? longName : field(header, 0, 100);
            longName = null;
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty() && header[257] == 'u') {
                name = prefix + "/" + name;
            }
            long size = octal(archive, header, 124, 12, offset);
            byte type = header[156];
            offset += 512;
            long padded = (size + 511) / 512 * 512;
            if (type == 'L') { // GNU long name: the next entry's name is this entry's data
                byte[] data = in.readNBytes((int) Math.min(size, 1 << 16));
                in.skipNBytes(padded - data.length);
                longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
            } else if (type == '0' || type == 0) {
                Path out = inside(archive, target, name, offset);
                Files.createDirectories(out.getParent());
                try (OutputStream os = Files.newOutputStream(out)) {
                    copy(archive, in, os, size, offset);
                }
                in.skipNBytes(padded - size);
                files++;
            } else if (type == '5') {
                Files.createDirectories(inside(archive, target, name, offset));
                in.skipNBytes(padded);
            } else {
                in.skipNBytes(padded); // links, devices, pax headers: not part of any dataset
            }
            offset += padded;
        }
        return files;
    }

    static int unzip(Path archive, Path target) throws IOException {
        int files = 0;
        try (ZipInputStream zin = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                Path out = inside(archive, target, e.getName(), -1);
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zin, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    files++;
                }
            }
        }
        return files;
    }

    private static Path inside(Path archive, Path target, String name, long offset) throws ArchiveFormatException {
        Path out = target.resolve(name).normalize();
        if (!out.startsWith(target.normalize()) || name.isEmpty()) {
            throw new ArchiveFormatException(archive, offset >= 0 ? "tar byte " + offset : name,
                    "entry '" + name + "' would be written outside " + target);
        }
        return out;
    }

    private static void copy(Path archive, InputStream in, OutputStream out, long size, long offset) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new ArchiveFormatException(archive, "tar byte " + (offset + size - left), "truncated entry data");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(Path archive, byte[] h, int off, int len, long headerOffset) throws ArchiveFormatException {
        String s = field(h, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new ArchiveFormatException(archive, "tar byte " + headerOffset, "bad size field '" + s + "'");
        }
    }
}
