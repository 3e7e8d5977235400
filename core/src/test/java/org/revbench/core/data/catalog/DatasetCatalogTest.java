package org.revbench.core.data.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.event.Aedat31Writer;

class DatasetCatalogTest {

    @TempDir
    Path tmp;

    @Test
    void catalogListsThePapersDatasets() {
        DatasetCatalog c = DatasetCatalog.load();
        assertEquals(List.of("cifar10", "cifar100", "fashion-mnist", "cifar10-dvs", "dvs128-gesture", "tiny-imagenet", "imagenet"), c.names());
        assertEquals("c32a1d4ab5d03f1284b67883e8d87530", c.get("cifar10").archives.get(0).md5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.get("mnist-9"));
        assertTrue(e.getMessage().contains("cifar10-dvs"), e.getMessage());
    }

    @Test
    void dataDirectoryPrefersTheOptionThenTheSystemDirectory() {
        DatasetCatalog.Dataset fm = DatasetCatalog.load().get("fashion-mnist");
        DataDirectory dd = DataDirectory.resolve(tmp);
        assertEquals(tmp.resolve("fashion-mnist"), dd.placeOf("fashion-mnist"));
        assertEquals(List.of(tmp.resolve("fashion-mnist"), Paths.get("/usr/share/datasets/fashion-mnist")), dd.candidates(fm));
    }

    @Test
    void realFashionMnistVerifiesWhenTheDebianPackageIsInstalled() {
        Path sys = Paths.get("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(sys), "dataset-fashion-mnist not installed");
        DatasetCatalog.Dataset fm = DatasetCatalog.load().get("fashion-mnist");
        DatasetCheck.Report r = DatasetCheck.check(fm, DataDirectory.resolve(tmp).locate(fm), true);
        assertTrue(r.ok(), r.rows().toString());
    }

    @Test
    void missingTruncatedAndCorruptFilesAreReportedWithWhatToPlaceWhere() throws IOException {
        DatasetCatalog.Dataset fm = DatasetCatalog.load().get("fashion-mnist");
        Path root = tmp.resolve("fashion-mnist");
        Files.createDirectories(root);
        gzip(root.resolve("train-images-idx3-ubyte.gz"), new byte[100]);          // wrong content
        Files.write(root.resolve("train-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3}); // not gzip
        DatasetCheck.Report r = DatasetCheck.check(fm, root, true);
        assertFalse(r.ok());
        assertEquals(DatasetCheck.Status.BAD, r.rows().get(0).status());
        assertTrue(r.rows().get(0).detail().contains("decompressed size 100"), r.rows().get(0).detail());
        assertEquals(DatasetCheck.Status.BAD, r.rows().get(1).status());
        assertEquals(DatasetCheck.Status.MISSING, r.rows().get(2).status());
        assertTrue(r.rows().get(2).detail().contains("gunzipped md5 8181f5470baa50b63fa0f6fddb340f0a"), r.rows().get(2).detail());
        assertTrue(r.advice().contains("dataset-fashion-mnist"), r.advice());

        DatasetCatalog.Dataset c10 = DatasetCatalog.load().get("cifar10");
        DatasetCheck.Report rc = DatasetCheck.check(c10, tmp.resolve("cifar10"), false);
        assertTrue(rc.advice().contains("cifar-10-binary.tar.gz") && rc.advice().contains("c32a1d4ab5d03f1284b67883e8d87530"), rc.advice());
    }

    @Test
    void everyGestureTrialIsOpenedAtTheCatalogPlaceNotOnlyCounted() throws IOException {
        DatasetCatalog.Dataset d = DatasetCatalog.load().get("dvs128-gesture");
        Path root = DataDirectory.resolve(tmp).placeOf(d.name);
        Path dir = root.resolve("DvsGesture");
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 122; k++) { // the catalog asks for the published set's 122 trials
            String name = String.format("user%02d_lab.aedat", k + 1);
            names.add(name);
            new Aedat31Writer().write(dir.resolve(name), threeEvents());
            Files.writeString(dir.resolve(name.replace(".aedat", "_labels.csv")),
                    "class,startTime_usec,endTime_usec\r\n1,0,1000\r\n", StandardCharsets.US_ASCII);
        }
        Files.write(dir.resolve("trials_to_train.txt"), names.subList(0, 98), StandardCharsets.US_ASCII);
        Files.write(dir.resolve("trials_to_test.txt"), names.subList(98, 122), StandardCharsets.US_ASCII);
        DatasetCheck.Report good = DatasetCheck.check(d, root, true);
        assertTrue(good.ok(), good.rows().toString());
        assertEquals("122 files (98 train, 24 test), 366 events; every event decoded, timestamps in order within 1000 us",
                good.rows().get(good.rows().size() - 1).detail());

        Path trial = dir.resolve("user121_lab.aedat");
        byte[] bytes = Files.readAllBytes(trial);
        Files.write(trial, java.util.Arrays.copyOf(bytes, bytes.length - 4)); // the last event loses its timestamp
        DatasetCheck.Report bad = DatasetCheck.check(d, root, false);
        assertFalse(bad.ok());
        DatasetCheck.Row row = bad.rows().stream().filter(r -> r.status() != DatasetCheck.Status.OK).findFirst().orElseThrow();
        assertEquals("DvsGesture/user121_lab.aedat", row.item());
        assertTrue(row.detail().startsWith("byte " + (bytes.length - 28 - 24) + ": bad packet header: truncated packet:"
                + " eventNumber * eventSize = 24 bytes, only 20 left in the file"), row.detail());
    }

    @Test
    void fetchVerifiesExtractsAndRefusesABadChecksum() throws IOException {
        byte[] tar = tar(List.of(new String[] {"data/a.bin", "hello"}, new String[] {"data/sub/b.txt", "world!"}));
        Path root = tmp.resolve("toy");
        Files.createDirectories(root);
        Path archive = root.resolve("toy.tar.gz");
        gzip(archive, tar);
        DatasetCatalog.Dataset d = toy(Checksums.md5(archive).md5());
        List<String> log = new ArrayList<>();
        DatasetCheck.Report r = new DatasetFetcher(Duration.ofSeconds(2), log::add).fetch(d, root);
        assertTrue(r.ok(), r.rows().toString());
        assertEquals("world!", Files.readString(root.resolve("data/sub/b.txt")));

        DatasetCatalog.Dataset wrong = toy("00000000000000000000000000000000");
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> new DatasetFetcher(Duration.ofSeconds(2), s -> { }).fetch(wrong, root));
        assertTrue(e.getMessage().contains("toy.tar.gz") && e.getMessage().contains("expected 0000"), e.getMessage());
    }

    @Test
    void withoutNetworkTheErrorNamesTheFileThePlaceAndTheChecksum() {
        DatasetCatalog.Dataset d = toy("0123456789abcdef0123456789abcdef");
        d.archives.get(0).url = "http://127.0.0.1:9/toy.tar.gz"; // discard port: nothing listens
        Path root = tmp.resolve("empty");
        MissingDatasetException e = assertThrows(MissingDatasetException.class,
                () -> new DatasetFetcher(Duration.ofSeconds(2), s -> { }).fetch(d, root));
        assertTrue(e.getMessage().contains("place toy.tar.gz in " + root) && e.getMessage().contains("0123456789abcdef"),
                e.getMessage());
    }

    @Test
    void archiveEntriesOutsideTheTargetAreRejected() throws IOException {
        Path archive = tmp.resolve("evil.tar.gz");
        gzip(archive, tar(List.<String[]>of(new String[] {"../escape.txt", "x"})));
        ArchiveExtractor.ArchiveFormatException e = assertThrows(ArchiveExtractor.ArchiveFormatException.class,
                () -> ArchiveExtractor.extract(archive, tmp.resolve("out")));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("escape.txt")));
    }

    static EventStream threeEvents() {
        EventStream.Builder b = new EventStream.Builder(128, 128);
        for (int i = 0; i < 3; i++) {
            b.add(100L * (i + 1), i, 2 * i, i % 2);
        }
        return b.build();
    }

    static DatasetCatalog.Dataset toy(String md5) {
        DatasetCatalog.Dataset d = new DatasetCatalog.Dataset();
        d.name = "toy";
        d.title = "Toy";
        DatasetCatalog.FileEntry f = new DatasetCatalog.FileEntry();
        f.path = "data/a.bin";
        f.bytes = 5L;
        d.files = List.of(f);
        DatasetCatalog.Archive a = new DatasetCatalog.Archive();
        a.name = "toy.tar.gz";
        a.md5 = md5;
        a.url = null;
        a.manualUrl = "https://example.org/toy";
        d.archives = List.of(a);
        return d;
    }

    static void gzip(Path file, byte[] data) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(data);
        }
    }

    /** A minimal ustar archive of text files. */
    static byte[] tar(List<String[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] e : entries) {
            byte[] data = e[1].getBytes(StandardCharsets.UTF_8);
            byte[] h = new byte[512];
            byte[] name = e[0].getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, h, 0, name.length);
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", data.length));
            put(h, 136, "00000000000");
            h[156] = '0';
            put(h, 257, "ustar");
            h[263] = '0';
            h[264] = '0';
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xFF;
            }
            put(h, 148, String.format("%06o", sum));
            out.writeBytes(h);
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
