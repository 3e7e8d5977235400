package org.revbench.harness.data;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.revbench.core.data.Split;
import org.revbench.core.data.catalog.DataDirectory;
import org.revbench.core.data.catalog.DatasetCatalog;
import org.revbench.core.data.image.IdxReader;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.simulate.EventCamera;
import org.revbench.core.data.simulate.EventDatasetMaker;
import org.revbench.harness.spec.RowSettings;

/**
 * Stand-in event datasets: real images recorded by the simulated event camera and written in a real DVS
 * dataset's file format and layout, so the real readers and frame pipeline run on learnable data where the
 * recordings themselves are absent. Made once into the data directory and reused; a {@code .complete} marker,
 * written last, tells a finished folder from one a killed run left half-written.
 */
public final class StandIns {

    /** Fashion-MNIST's class names, the folder names of the CIFAR10-DVS-style layout. */
    public static final List<String> FASHION_CLASSES = List.of("tshirt", "trouser", "pullover", "dress", "coat", "sandal",
            "shirt", "sneaker", "bag", "ankle-boot");

    private static final String COMPLETE = ".complete";

    private StandIns() {}

    /** The folder of {@code dataset} made as {@code standIn} says, making it first if needed. */
    public static Path ensure(String dataset, RowSettings.StandIn standIn, DataDirectory dir, PrintWriter log)
            throws IOException {
        String wanted = dataset.equals("cifar10-dvs") ? "aedat2" : dataset.equals("dvs128-gesture") ? "aedat31" : null;
        if (wanted == null || !wanted.equals(standIn.format())) {
            throw new IllegalArgumentException("a stand-in for " + dataset + " must be written as "
                    + (wanted == null ? "(no event format: not an event dataset)" : wanted) + ", not " + standIn.format());
        }
        if (!standIn.from().equals("fashion-mnist")) {
            throw new IllegalArgumentException("stand-in events are recorded from fashion-mnist, not " + standIn.from());
        }
        Path root = dir.root().resolve("made").resolve(String.format(Locale.ROOT, "%s-from-%s-%dpx-%d", dataset,
                standIn.from(), standIn.sensor(), standIn.limit()));
        if (Files.exists(root.resolve(COMPLETE))) {
            return root;
        }
        deleteTree(root); // a half-written folder from a killed run
        Path images = dir.locate(DatasetCatalog.load().get("fashion-mnist"));
        ImageSet set = IdxReader.readFashionMnist(images, Split.TEST);
        int count = Math.min(standIn.limit(), set.size());
        log.printf(Locale.ROOT, "    making the %s stand-in: %d Fashion-MNIST test images on a %dx%d sensor -> %s%n", dataset,
                count, standIn.sensor(), standIn.sensor(), root);
        log.flush();
        record(set, count, standIn.format(), standIn.sensor(), 50, 2023, Runtime.getRuntime().availableProcessors(), root,
                n -> { });
        Files.writeString(root.resolve(COMPLETE), "made by revbench\n");
        return root;
    }

    /**
     * Refuses, before anything is recorded, a {@code format} layout of the first {@code count} images of {@code set}
     * whose test split would be empty (see {@link EventDatasetMaker#requireCifar10DvsTestSplit} and
     * {@link EventDatasetMaker#requireGestureTestSplit}).
     */
    public static void requireTestSplit(ImageSet set, int count, String format, int perTrial) {
        if (format.equals("aedat2")) {
            EventDatasetMaker.requireCifar10DvsTestSplit(set, count);
        } else {
            EventDatasetMaker.requireGestureTestSplit(count, perTrial);
        }
    }

    /**
     * Records the first {@code count} Fashion-MNIST images of {@code set} on a {@code sensor}-pixel camera and writes
     * them under {@code out} in CIFAR10-DVS's layout ({@code aedat2}) or as DVS128 Gesture trials of {@code perTrial}
     * recordings ({@code aedat31}); returns the number of events. Also what {@code revbench data make-events} runs.
     */
    public static long record(ImageSet set, int count, String format, int sensor, int perTrial, long seed, int threads,
                              Path out, IntConsumer progress) throws IOException {
        EventDatasetMaker maker = new EventDatasetMaker(new EventCamera(EventCamera.Config.forSensor(sensor, sensor)), seed,
                threads);
        return format.equals("aedat2")
                ? maker.writeCifar10DvsLayout(set, count, FASHION_CLASSES, "fmnist", out, progress)
                : maker.writeGestureLayout(set, count, perTrial, out, progress);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
