package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data commands end to end on the real Fashion-MNIST that Debian installs: verify it, record it as events in
 * both DVS formats, and train on those events through the real readers and the frame pipeline.
 */
class DataCommandsTest {

    static final Path FASHION = Paths.get("/usr/share/datasets/fashion-mnist");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void needsFashionMnist() {
        assumeTrue(Files.isDirectory(FASHION), "Debian's dataset-fashion-mnist is not installed");
    }

    @Test
    void checkVerifiesFashionMnistAndNamesWhatIsMissingElsewhere() {
        RevBenchCliTest.Run ok = RevBenchCliTest.run("data", "check", "fashion-mnist", "--data-dir", tmp.toString(), "--json");
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.json().get("ok").getAsBoolean());

        RevBenchCliTest.Run missing = RevBenchCliTest.run("data", "check", "cifar10", "--data-dir", tmp.toString(), "--quick");
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("cifar-10-binary.tar.gz") && missing.err().contains("c32a1d4ab5d03f1284b67883e8d87530"),
                missing.toString());

        RevBenchCliTest.Run unknown = RevBenchCliTest.run("data", "check", "mnist-x");
        assertEquals(2, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("cifar10-dvs"), unknown.toString());
    }

    @Test
    void madeEventsInTheCifar10DvsLayoutTrainThroughTheRealReader() {
        Path out = tmp.resolve("fm-aedat2");
        RevBenchCliTest.Run made = RevBenchCliTest.run("data", "make-events", "--from", "fashion-mnist", "--format", "aedat2",
                "--out", out.toString(), "--limit", "200", "--json");
        assertEquals(0, made.exit(), made.toString());
        assertEquals(200, made.json().get("images").getAsInt());
        assertTrue(Files.isDirectory(out.resolve("9-ankle-boot")));

        RevBenchCliTest.Run trained = RevBenchCliTest.run("train", "ms-resnet20-dvs", "--data", "cifar10-dvs", "--data-root",
                out.toString(), "--data-dir", tmp.toString(), "--sensor", "34", "--input-size", "34", "--timesteps", "2",
                "--batch", "8", "--steps", "3", "--json");
        assertEquals(0, trained.exit(), trained.toString());
        JsonObject j = trained.json();
        assertEquals(10, j.get("classes").getAsInt());
        assertTrue(j.get("train_samples").getAsInt() + j.get("test_samples").getAsInt() <= 200);
        assertTrue(j.get("test_samples").getAsInt() > 0);
        assertTrue(Double.isFinite(j.get("test_accuracy").getAsDouble()));
        assertTrue(Files.isDirectory(tmp.resolve(".cache").resolve("frames").resolve("cifar10-dvs")), "frames are cached");
    }

    @Test
    void madeEventsInTheGestureLayoutTrainThroughTheRealReader() {
        Path out = tmp.resolve("fm-aedat31");
        RevBenchCliTest.Run made = RevBenchCliTest.run("data", "make-events", "--from", "fashion-mnist", "--format", "aedat31",
                "--out", out.toString(), "--limit", "60", "--per-trial", "10");
        assertEquals(0, made.exit(), made.toString());
        assertTrue(Files.isRegularFile(out.resolve("DvsGesture").resolve("trials_to_train.txt")));

        RevBenchCliTest.Run trained = RevBenchCliTest.run("train", "ms-resnet20-dvs", "--data", "dvs128-gesture", "--data-root",
                out.toString(), "--data-dir", tmp.toString(), "--sensor", "34", "--input-size", "34", "--timesteps", "2",
                "--batch", "4", "--steps", "2", "--classes", "11", "--json");
        assertEquals(0, trained.exit(), trained.toString());
        assertEquals(50, trained.json().get("train_samples").getAsInt()); // 5 of 6 trials of 10
        assertEquals(10, trained.json().get("test_samples").getAsInt());
    }

    @Test
    void makeEventsWithTooFewImagesForATestSplitSaysSoAndWritesNothing() {
        Path out = tmp.resolve("too-few");
        RevBenchCliTest.Run cifar = RevBenchCliTest.run("data", "make-events", "--from", "fashion-mnist", "--format", "aedat2",
                "--out", out.toString(), "--limit", "50", "--json");
        assertEquals(2, cifar.exit(), cifar.toString());
        String error = cifar.json().get("error").getAsString();
        assertTrue(error.startsWith("--limit 50: the first 50 images give class ") && error.contains("none for the test split")
                && error.contains("every class needs at least 10; the first "), cifar.toString());
        assertEquals("revbench data make-events: error: " + error, cifar.err().strip());
        assertFalse(Files.exists(out), "nothing recorded");

        RevBenchCliTest.Run gesture = RevBenchCliTest.run("data", "make-events", "--from", "fashion-mnist", "--format", "aedat31",
                "--out", out.toString(), "--limit", "60", "--per-trial", "50");
        assertEquals(2, gesture.exit(), gesture.toString());
        assertEquals("revbench data make-events: error: --limit 60: 60 images in trials of 50 make 2 trial(s), none for the"
                + " test split (the last 20 % of trials, rounded down), so at least 5 trials are needed: 201 images or more,"
                + " or fewer per trial", gesture.err().strip());
        assertFalse(Files.exists(out), "nothing recorded");
    }

    @Test
    void eventDataForAnImageModelIsAClearUsageError() {
        RevBenchCliTest.Run r = RevBenchCliTest.run("train", "ms-resnet18", "--data", "cifar10-dvs", "--data-root",
                tmp.resolve("nowhere").toString(), "--steps", "1");
        assertEquals(2, r.exit(), r.toString());
    }
}
