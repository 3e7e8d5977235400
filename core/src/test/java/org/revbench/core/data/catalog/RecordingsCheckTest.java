package org.revbench.core.data.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.event.Aedat2Writer;
import org.revbench.core.data.event.Aedat31Writer;

/**
 * {@code data check} on the event datasets opens every recording with its format's reader, at the catalog's place
 * and in a folder named by hand in the layout {@code data make-events} writes, and names each damaged file.
 */
class RecordingsCheckTest {

    @TempDir
    Path tmp;

    @Test
    void aMadeCifar10DvsFolderIsAcceptedAndADamagedRecordingDeepInItIsNamed() throws IOException {
        DatasetCatalog.Dataset d = DatasetCatalog.load().get("cifar10-dvs");
        Path root = madeCifar10Dvs(tmp.resolve("made"), 10);
        DatasetCheck.Report good = DatasetCheck.checkFolder(d, root, true);
        assertTrue(good.ok(), good.rows().toString());
        assertEquals(List.of(new DatasetCheck.Row("recordings", DatasetCheck.Status.OK,
                "20 files, 60 events; every event decoded, timestamps in order within 1000 us")), good.rows());

        // the last recording of the last class: the test split, read only after a whole training run
        Path last = root.resolve("1-trouser").resolve("fmnist_1-trouser_9.aedat");
        Files.write(last, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        for (boolean full : new boolean[] {true, false}) {
            DatasetCheck.Report bad = DatasetCheck.checkFolder(d, root, full);
            assertFalse(bad.ok());
            assertEquals(List.of(new DatasetCheck.Row("1-trouser/fmnist_1-trouser_9.aedat", DatasetCheck.Status.BAD,
                    "byte " + (Files.size(last) - 3) + ": truncated event: 3 trailing bytes, an event is 8 (u32 address,"
                            + " u32 timestamp)")), bad.rows());
            assertEquals("1-trouser/fmnist_1-trouser_9.aedat: byte " + (Files.size(last) - 3)
                    + ": truncated event: 3 trailing bytes, an event is 8 (u32 address, u32 timestamp)", bad.firstProblem());
            assertTrue(bad.advice().contains("make-events"), bad.advice());
        }
    }

    @Test
    void timestampsSteppingBackBeyondTheToleranceFailTheFullCheckOnly() throws IOException {
        DatasetCatalog.Dataset d = DatasetCatalog.load().get("cifar10-dvs");
        Path root = madeCifar10Dvs(tmp.resolve("made"), 10);
        Path f = root.resolve("0-tshirt").resolve("fmnist_0-tshirt_4.aedat");
        new Aedat2Writer().write(f, stream(new long[] {10, 5000, 3000}));
        DatasetCheck.Report full = DatasetCheck.checkFolder(d, root, true);
        assertEquals(List.of(new DatasetCheck.Row("0-tshirt/fmnist_0-tshirt_4.aedat", DatasetCheck.Status.BAD,
                "event 2: timestamp 3000 us is 2000 us before the latest earlier timestamp 5000 us; recordings step back"
                        + " by at most 1000 us (damaged or misordered event data)")), full.rows());
        DatasetCheck.Report quick = DatasetCheck.checkFolder(d, root, false);
        assertTrue(quick.ok(), quick.rows().toString());
        assertTrue(quick.rows().get(0).detail().contains("headers and event block lengths only"), quick.rows().toString());
    }

    @Test
    void aLayoutTheReaderRefusesIsOneRowNamingTheFolder() throws IOException {
        DatasetCatalog.Dataset d = DatasetCatalog.load().get("cifar10-dvs");
        Path root = madeCifar10Dvs(tmp.resolve("made"), 10);
        Files.createDirectories(root.resolve("2-pullover"));
        DatasetCheck.Report r = DatasetCheck.checkFolder(d, root, true);
        assertEquals(1, r.rows().size(), r.rows().toString());
        assertEquals("layout", r.rows().get(0).item());
        assertEquals(root.resolve("2-pullover") + ": class folder without .aedat files", r.rows().get(0).detail());
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
            new Aedat31Writer().write(dir.resolve(name), stream(new long[] {100, 200, 300}));
            Files.writeString(dir.resolve(name.replace(".aedat", "_labels.csv")),
                    "class,startTime_usec,endTime_usec\r\n1,0,1000\r\n", StandardCharsets.US_ASCII);
        }
        Files.write(dir.resolve("trials_to_train.txt"), names.subList(0, 98), StandardCharsets.US_ASCII);
        Files.write(dir.resolve("trials_to_test.txt"), names.subList(98, 122), StandardCharsets.US_ASCII);
        DatasetCheck.Report good = DatasetCheck.check(d, root, true);
        assertTrue(good.ok(), good.rows().toString());
        assertEquals("122 files, 366 events; every event decoded, timestamps in order within 1000 us",
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

    /** Two classes in make-events' layout ({@code N-name/fmnist_N-name_i.aedat}), {@code perClass} recordings each. */
    static Path madeCifar10Dvs(Path root, int perClass) throws IOException {
        for (String cls : List.of("0-tshirt", "1-trouser")) {
            Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                new Aedat2Writer().write(root.resolve(cls).resolve("fmnist_" + cls + "_" + i + ".aedat"),
                        stream(new long[] {10, 20, 30}));
            }
        }
        return root;
    }

    static EventStream stream(long[] t) {
        EventStream.Builder b = new EventStream.Builder(128, 128);
        for (int i = 0; i < t.length; i++) {
            b.add(t[i], i % 128, (3 * i) % 128, i % 2);
        }
        return b.build();
    }
}
