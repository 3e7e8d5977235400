package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
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
 * Event data problems are found before hours are spent: {@code data check --data-root} opens every recording of a
 * made folder, and {@code train} checks every recording and the test split before its first step. The datasets are
 * small real AEDAT 2.0 files in the layout {@code data make-events} writes.
 */
class EventDataValidationTest {

    @TempDir
    Path tmp;

    @Test
    void dataCheckOpensEveryRecordingOfAMadeFolderAndNamesTheDamagedOne() throws IOException {
        Path root = madeCifar10Dvs(tmp.resolve("made"), 10);
        RevBenchCliTest.Run ok = RevBenchCliTest.run("data", "check", "cifar10-dvs", "--data-root", root.toString(), "--json");
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.json().get("ok").getAsBoolean(), ok.toString());
        assertTrue(ok.out().contains("20 files (18 train, 2 test), 800 events; every event decoded"), ok.toString());

        Path last = damage(root.resolve("1-trouser").resolve("fmnist_1-trouser_9.aedat"));
        RevBenchCliTest.Run bad = RevBenchCliTest.run("data", "check", "cifar10-dvs", "--data-root", root.toString(), "--json");
        assertEquals(1, bad.exit(), bad.toString());
        String problem = "1-trouser/fmnist_1-trouser_9.aedat: byte " + (Files.size(last) - 3)
                + ": truncated event: 3 trailing bytes, an event is 8 (u32 address, u32 timestamp)";
        assertTrue(bad.out().contains("BAD      " + problem), bad.toString());
        JsonObject j = bad.json();
        assertFalse(j.get("ok").getAsBoolean());
        assertEquals(problem, j.get("error").getAsString());
    }

    @Test
    void trainingRefusesADamagedRecordingDeepInTheSetBeforeTheFirstStep() throws IOException {
        Path root = madeCifar10Dvs(tmp.resolve("made"), 10);
        // the last test recording: without the check it is read only at the evaluation after training
        Path last = damage(root.resolve("1-trouser").resolve("fmnist_1-trouser_9.aedat"));
        RevBenchCliTest.Run r = train(root);
        assertEquals(2, r.exit(), r.toString());
        String message = last + " (byte " + (Files.size(last) - 3) + "): truncated event: 3 trailing bytes, an event is 8"
                + " (u32 address, u32 timestamp)";
        assertEquals("revbench train: error: " + message, r.err().strip(), r.toString());
        assertEquals(message, r.json().get("error").getAsString());
        assertFalse(r.out().contains("training "), "no step was run: " + r);
    }

    @Test
    void trainingOnADatasetWithoutTestSamplesIsRefusedInsteadOfReportingNaN() throws IOException {
        Path root = madeCifar10Dvs(tmp.resolve("made"), 9); // ceil(0.9 * 9) = 9: all train, none test
        RevBenchCliTest.Run r = train(root);
        assertEquals(2, r.exit(), r.toString());
        assertEquals("revbench train: error: cifar10-dvs at " + root + " has no test samples (18 training samples): there"
                + " is nothing to measure test accuracy on", r.err().strip(), r.toString());
        assertFalse(r.out().contains("NaN"), r.toString());
    }

    private RevBenchCliTest.Run train(Path root) {
        return RevBenchCliTest.run("train", "ms-resnet20-dvs", "--data", "cifar10-dvs", "--data-root", root.toString(),
                "--data-dir", tmp.toString(), "--sensor", "34", "--input-size", "34", "--timesteps", "2", "--batch", "2",
                "--steps", "1", "--json");
    }

    /** Appends 3 bytes: a truncated last event. */
    private static Path damage(Path f) throws IOException {
        Files.write(f, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        return f;
    }

    /** Two classes in make-events' layout ({@code N-name/fmnist_N-name_i.aedat}) of 40 events on a 34x34 sensor. */
    static Path madeCifar10Dvs(Path root, int perClass) throws IOException {
        for (String cls : List.of("0-tshirt", "1-trouser")) {
            Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                EventStream.Builder b = new EventStream.Builder(128, 128);
                for (int e = 0; e < 40; e++) {
                    b.add(100L * e, (e * 7 + i) % 34, (e * 3) % 34, e % 2);
                }
                new Aedat2Writer().write(root.resolve(cls).resolve("fmnist_" + cls + "_" + i + ".aedat"), b.build());
            }
        }
        return root;
    }
}
