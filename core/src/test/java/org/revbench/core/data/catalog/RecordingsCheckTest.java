package org.revbench.core.data.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.event.Aedat2Writer;

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
                "20 files (18 train, 2 test), 60 events; every event decoded, timestamps in order within 1000 us")), good.rows());

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
    void anEmptyTestSplitIsReported() throws IOException {
        DatasetCatalog.Dataset d = DatasetCatalog.load().get("cifar10-dvs");
        Path root = madeCifar10Dvs(tmp.resolve("made"), 9); // ceil(0.9 * 9) = 9: every recording trains
        DatasetCheck.Report r = DatasetCheck.checkFolder(d, root, true);
        assertFalse(r.ok());
        assertEquals("splits: 18 train / 0 test recordings: the test split is empty", r.firstProblem());
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
