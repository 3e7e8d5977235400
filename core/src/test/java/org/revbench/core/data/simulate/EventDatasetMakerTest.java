package org.revbench.core.data.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.EventSample;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;
import org.revbench.core.data.event.Cifar10DvsDataset;
import org.revbench.core.data.event.DvsGestureDataset;

/** Simulated recordings written in the real DVS layouts read back, through the real readers, unchanged. */
class EventDatasetMakerTest {

    @TempDir
    Path tmp;

    /** 100 random 28x28 grey images, 10 per class. */
    static ImageSet images() {
        Random r = new Random(5);
        int n = 100;
        byte[] px = new byte[n * 28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int j = 0; j < 28 * 28; j++) {
                px[i * 28 * 28 + j] = (byte) (((j / 28) * (labels[i] + 1) * 7 + r.nextInt(40)) & 0xFF);
            }
        }
        return new ImageSet("toy", px, labels, 1, 28, 28, 10);
    }

    static final List<String> NAMES = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

    @Test
    void cifar10DvsLayoutReadsBackThroughTheRealReaderWithThe90To10Split() throws IOException {
        ImageSet set = images();
        EventCamera camera = new EventCamera();
        EventDatasetMaker maker = new EventDatasetMaker(camera, 7, 2);
        long events = maker.writeCifar10DvsLayout(set, set.size(), NAMES, "toy", tmp, n -> { });
        Cifar10DvsDataset ds = new Cifar10DvsDataset(tmp);
        assertEquals(List.of("0-a", "1-b", "2-c", "3-d", "4-e", "5-f", "6-g", "7-h", "8-i", "9-j"), ds.classes());
        List<EventSample> train = ds.load(Split.TRAIN);
        List<EventSample> test = ds.load(Split.TEST);
        assertEquals(90, train.size()); // ceil(0.9 * 10) = 9 of each class train
        assertEquals(10, test.size());
        long total = 0;
        for (EventSample s : train) {
            total += s.events().size();
        }
        for (EventSample s : test) {
            total += s.events().size();
        }
        assertEquals(events, total);
        // the first recording of class 3 is image 3; its events equal a direct recording, once cropped back
        EventSample first = train.stream().filter(s -> s.source().endsWith("toy_3-d_0.aedat")).findFirst().orElseThrow();
        EventSample direct = camera.simulate(set, 3, maker.imageSeed(3));
        assertEquals(3, first.label());
        assertTrue(direct.events().sameEvents(first.events().withSensor(34, 34)));
    }

    @Test
    void gestureLayoutReadsBackThroughTheRealReader() throws IOException {
        ImageSet set = images();
        EventCamera camera = new EventCamera();
        EventDatasetMaker maker = new EventDatasetMaker(camera, 7, 1);
        maker.writeGestureLayout(set, 30, 4, tmp, n -> { });
        DvsGestureDataset ds = new DvsGestureDataset(tmp.resolve("DvsGesture"));
        List<EventSample> train = ds.load(Split.TRAIN);
        List<EventSample> test = ds.load(Split.TEST);
        // 30 images in 8 trials of 4 (the last of 2): 7 trials train (ceil 0.8 * 8), 1 test
        assertEquals(28, train.size());
        assertEquals(2, test.size());
        for (int i = 0; i < train.size(); i++) {
            assertEquals(set.labels()[i], train.get(i).label());
        }
        // a cut window holds exactly one recording, shifted in time
        EventSample five = train.get(5);
        EventSample direct = camera.simulate(set, 5, maker.imageSeed(5));
        assertEquals(direct.events().size(), five.events().size());
        long shift = five.events().t()[0] - direct.events().t()[0];
        for (int j = 0; j < direct.events().size(); j++) {
            assertEquals(direct.events().t()[j] + shift, five.events().t()[j]);
            assertEquals(direct.events().x()[j], five.events().x()[j]);
        }
    }

    @Test
    void layoutsWithoutATestSplitAreRefusedBeforeAnythingIsWritten() throws IOException {
        ImageSet set = images(); // labels 0-9 in turn: the first 99 images hold 9 of class 9
        EventDatasetMaker maker = new EventDatasetMaker(new EventCamera(), 7, 1);
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> maker.writeCifar10DvsLayout(set, 99, NAMES, "toy", tmp, n -> { }));
        assertEquals("the first 99 images give class 9 only 9 recording(s), none for the test split (the last 10 % of each"
                + " class, rounded down), so every class needs at least 10; the first 100 images give each class 10",
                few.getMessage());
        IllegalArgumentException trials = assertThrows(IllegalArgumentException.class,
                () -> maker.writeGestureLayout(set, 16, 4, tmp, n -> { }));
        assertEquals("16 images in trials of 4 make 4 trial(s), none for the test split (the last 20 % of trials,"
                + " rounded down), so at least 5 trials are needed: 17 images or more, or fewer per trial", trials.getMessage());
        try (var left = java.nio.file.Files.list(tmp)) {
            assertEquals(0, left.count(), "nothing written");
        }
        maker.writeGestureLayout(set, 17, 4, tmp.resolve("enough"), n -> { }); // 5 trials: 4 train, 1 test
    }
}
