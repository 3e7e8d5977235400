package org.revbench.core.data.catalog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipException;

/**
 * Verifies that a dataset is present and intact: every catalogued file exists with its size and checksum, every
 * catalogued folder holds enough entries, and every recording of an event dataset passes its format's reader (no
 * checksums are published for single recordings, so opening each is how a damaged one is found). The report says,
 * for anything missing, which file to place where, and its expected checksum; for a damaged recording, which file
 * and what is wrong at which byte.
 */
public final class DatasetCheck {

    /** One verified item. */
    public record Row(String item, Status status, String detail) {}

    public enum Status { OK, MISSING, BAD }

    /**
     * The outcome for one dataset. {@code catalogued} is false for a folder named by hand (see {@link #checkFolder}),
     * which the catalog's archives do not make.
     */
    public record Report(DatasetCatalog.Dataset dataset, Path root, List<Row> rows, boolean catalogued) {

        public boolean ok() { return rows.stream().allMatch(r -> r.status() == Status.OK); }

        /** The first row that is not OK, as one line ("item: detail"), or null when {@link #ok()}. */
        public String firstProblem() {
            return rows.stream().filter(r -> r.status() != Status.OK).findFirst()
                    .map(r -> r.item() + ": " + r.detail()).orElse(null);
        }

        /** What a user must do when {@link #ok()} is false. */
        public String advice() {
            if (!catalogued) {
                return dataset.title + " at " + root + " is not intact (see the items above); write it again, e.g. with"
                        + " `revbench data make-events`, or replace the files named.";
            }
            StringBuilder sb = new StringBuilder();
            sb.append(dataset.title).append(" is incomplete under ").append(root).append('.');
            if (dataset.installHint != null) {
                sb.append(' ').append(dataset.installHint).append('.');
            }
            for (DatasetCatalog.Archive a : dataset.archives) {
                sb.append(String.format(Locale.ROOT, "%n  place %s in %s%s%s", a.name, root,
                        a.md5 != null ? " (md5 " + a.md5 + ")" : "",
                        a.url != null ? ", from " + a.url : a.manualUrl != null ? ", from " + a.manualUrl + " (download by hand)" : ""));
            }
            if (!dataset.archives.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "%n  then run: ./revbench data fetch %s (verifies and extracts)", dataset.name));
            }
            return sb.toString();
        }
    }

    /** Rows of damaged recordings listed one by one; beyond this many, one row counts the rest. */
    static final int MAX_BAD_ROWS = 20;

    private DatasetCheck() {}

    /**
     * Checks the dataset at {@code root}, the place the catalog describes. With {@code full} false, sizes only (no
     * checksums of large files) and recordings' headers and block lengths only (no events decoded).
     */
    public static Report check(DatasetCatalog.Dataset d, Path root, boolean full) {
        List<Row> rows = new ArrayList<>();
        for (DatasetCatalog.FileEntry f : d.files) {
            rows.add(checkFile(root.resolve(f.path), f, full));
        }
        for (DatasetCatalog.DirEntry e : d.dirs) {
            rows.add(checkDir(root.resolve(e.path), e));
        }
        if (rows.isEmpty()) {
            rows.add(new Row(root.toString(), Files.isDirectory(root) ? Status.OK : Status.MISSING, "dataset folder"));
        }
        // recordings are opened once every catalogued item is present: before that, the missing items are the news
        if (Files.isDirectory(root) && rows.stream().noneMatch(r -> r.status() == Status.MISSING)) {
            rows.addAll(RecordingsCheck.rows(d.name, root, full));
        }
        return new Report(d, root, rows, true);
    }

    /**
     * Checks a folder named by hand as dataset {@code d}, e.g. one written by {@code revbench data make-events}. An
     * event dataset's layout is then the one its reader accepts (class folders of any name, any number of
     * recordings; trial lists), since the catalog's folder names and counts describe the published set, which a
     * made one is not; every recording is still checked. Other datasets are checked as {@link #check} does.
     */
    public static Report checkFolder(DatasetCatalog.Dataset d, Path root, boolean full) {
        if (!RecordingsCheck.isEventDataset(d.name)) {
            Report r = check(d, root, full);
            return new Report(d, root, r.rows(), false);
        }
        if (!Files.isDirectory(root)) {
            return new Report(d, root, List.of(new Row(root.toString(), Status.MISSING, "dataset folder")), false);
        }
        return new Report(d, root, RecordingsCheck.rows(d.name, root, full), false);
    }

    static Row checkFile(Path p, DatasetCatalog.FileEntry f, boolean full) {
        String item = f.path;
        if (!Files.isRegularFile(p)) {
            return new Row(item, Status.MISSING, "expected at " + p + expectation(f));
        }
        try {
            long size = Files.size(p);
            if (f.bytes != null && size != f.bytes) {
                return new Row(item, Status.BAD, "size " + size + " bytes, expected " + f.bytes + " (truncated or damaged)");
            }
            if (full && f.md5 != null) {
                Checksums.Digest dg = Checksums.md5(p);
                if (!dg.md5().equalsIgnoreCase(f.md5)) {
                    return new Row(item, Status.BAD, "md5 " + dg.md5() + ", expected " + f.md5);
                }
            }
            if (full && f.contentMd5 != null) {
                Checksums.Digest dg = Checksums.contentMd5(p);
                if (f.contentBytes != null && dg.bytes() != f.contentBytes) {
                    return new Row(item, Status.BAD, "decompressed size " + dg.bytes() + " bytes, expected " + f.contentBytes);
                }
                if (!dg.md5().equalsIgnoreCase(f.contentMd5)) {
                    return new Row(item, Status.BAD, "decompressed md5 " + dg.md5() + ", expected " + f.contentMd5);
                }
            }
            return new Row(item, Status.OK, full && (f.md5 != null || f.contentMd5 != null) ? "checksum verified"
                    : f.bytes != null ? "size verified" : "present");
        } catch (ZipException e) {
            return new Row(item, Status.BAD, "corrupt gzip data: " + e.getMessage());
        } catch (IOException e) {
            return new Row(item, Status.BAD, "unreadable: " + e);
        }
    }

    static Row checkDir(Path dir, DatasetCatalog.DirEntry e) {
        if (!Files.isDirectory(dir)) {
            return new Row(e.path + "/", Status.MISSING, "folder expected at " + dir);
        }
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, e.glob)) {
            for (Path ignored : ds) {
                n++;
            }
        } catch (IOException ex) {
            return new Row(e.path + "/", Status.BAD, "unreadable: " + ex);
        }
        return n >= e.minFiles
                ? new Row(e.path + "/", Status.OK, n + " entries matching " + e.glob)
                : new Row(e.path + "/", Status.BAD, n + " entries matching " + e.glob + ", expected at least " + e.minFiles);
    }

    private static String expectation(DatasetCatalog.FileEntry f) {
        StringBuilder sb = new StringBuilder();
        if (f.bytes != null) {
            sb.append(", ").append(f.bytes).append(" bytes");
        }
        if (f.md5 != null) {
            sb.append(", md5 ").append(f.md5);
        }
        if (f.contentMd5 != null) {
            sb.append(", gunzipped md5 ").append(f.contentMd5);
        }
        return sb.toString();
    }
}
