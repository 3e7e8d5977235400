package org.revbench.core.data.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.core.data.event.AedatBytes.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.EventSample;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.Split;

/** A two-user, two-lighting DVS128 Gesture layout; every trial has an event each 10 us from 0 to 9990. */
class DvsGestureDatasetTest {
    static final String HEADER = "class,startTime_usec,endTime_usec\r\n";

    @TempDir
    Path root;

    @BeforeEach
    void layout() throws IOException {
        for (String trial : new String[] {"user01_fluorescent", "user01_led", "user02_fluorescent", "user02_led"}) {
            EventStream.Builder b = new EventStream.Builder(128, 128);
            for (int i = 0; i < 1000; i++) {
                b.add(10L * i, i % 128, (i / 128) % 128, i % 2);
            }
            new Aedat31Writer(64, true).write(root.resolve(trial + ".aedat"), b.build());
        }
        // rows: class, start, end; overlapping windows and repeated classes as in the real files
        Files.writeString(root.resolve("user01_fluorescent_labels.csv"), HEADER + "1,100,300\r\n2,250,400\r\n");
        Files.writeString(root.resolve("user01_led_labels.csv"), HEADER + "11,0,10000\r\n11,995,1001\r\n3,5,5\r\n");
        Files.writeString(root.resolve("user02_fluorescent_labels.csv"), HEADER + "5,9000,20000\r\n");
        Files.writeString(root.resolve("user02_led_labels.csv"), HEADER + "7,1,11\r\n8,12,29\r\n");
        Files.writeString(root.resolve("trials_to_train.txt"), "user01_fluorescent.aedat\r\nuser01_led.aedat\r\n");
        Files.writeString(root.resolve("trials_to_test.txt"), "user02_fluorescent.aedat\n\nuser02_led.aedat\n\n");
    }

    /** Events at multiples of 10 in [start, end). */
    static int expected(long start, long end) {
        long hi = Math.min(Math.max(end, 0), 10_000);
        long lo = Math.min(Math.max(start, 0), 10_000);
        return (int) Math.max(0, (hi + 9) / 10 - (lo + 9) / 10);
    }

    @Test
    void cutsEachLabelledWindowWithLabelsSourcesAndCounts() throws IOException {
        DvsGestureDataset ds = new DvsGestureDataset(root);
        List<EventSample> train = ds.load(Split.TRAIN);
        List<EventSample> test = ds.load(Split.TEST);
        assertEquals(5, train.size());
        assertEquals(3, test.size());
        long[][] trainRows = {{0, 100, 300}, {1, 250, 400}, {10, 0, 10000}, {10, 995, 1001}, {2, 5, 5}};
        String[] trainSources = {"user01_fluorescent.aedat#0", "user01_fluorescent.aedat#1", "user01_led.aedat#0",
            "user01_led.aedat#1", "user01_led.aedat#2"};
        check(train, trainRows, trainSources);
        check(test, new long[][] {{4, 9000, 20000}, {6, 1, 11}, {7, 12, 29}},
                new String[] {"user02_fluorescent.aedat#0", "user02_led.aedat#0", "user02_led.aedat#1"});
        // spot values: [100, 300) holds 20 events, [995, 1001) only t = 1000
        assertEquals(20, train.get(0).events().size());
        assertEquals(1000, train.get(3).events().t()[0]);
        assertEquals(1000, train.get(2).events().size());
    }

    private static void check(List<EventSample> samples, long[][] rows, String[] sources) {
        for (int i = 0; i < rows.length; i++) {
            EventSample s = samples.get(i);
            assertEquals(rows[i][0], s.label(), sources[i]);
            assertEquals(sources[i], s.source());
            EventStream e = s.events();
            assertEquals(expected(rows[i][1], rows[i][2]), e.size(), sources[i]);
            assertEquals(e.size(), e.t().length, "cut samples are trimmed");
            for (int k = 0; k < e.size(); k++) {
                assertTrue(e.t()[k] >= rows[i][1] && e.t()[k] < rows[i][2]);
                int idx = (int) (e.t()[k] / 10);
                assertEquals(idx % 128, e.x()[k]);
                assertEquals(idx % 2, e.p()[k]);
            }
        }
    }

    @Test
    void lazyDescriptorsMatchEagerLoad() throws IOException {
        DvsGestureDataset ds = new DvsGestureDataset(root);
        List<DvsGestureDataset.SampleRef> refs = ds.samples(Split.TRAIN);
        assertEquals(5, refs.size());
        assertEquals(2, ds.trials(Split.TRAIN).size());
        assertEquals(3, ds.trials(Split.TRAIN).get(1).samples().size());
        List<EventSample> eager = ds.load(Split.TRAIN);
        List<EventSample> byTrial = new ArrayList<>();
        for (DvsGestureDataset.Trial t : ds.trials(Split.TRAIN)) {
            byTrial.addAll(ds.loadTrial(t));
        }
        for (int i = 0; i < refs.size(); i++) {
            EventSample one = ds.load(refs.get(i));
            assertEquals(refs.get(i).source(), eager.get(i).source());
            assertEquals(refs.get(i).label(), one.label());
            assertTrue(one.events().sameEvents(eager.get(i).events()));
            assertTrue(byTrial.get(i).events().sameEvents(eager.get(i).events()));
        }
    }

    @Test
    void layoutErrorsNameTheListOrCsv() throws IOException {
        Files.delete(root.resolve("user02_led_labels.csv"));
        Path test = root.resolve("trials_to_test.txt");
        assertFails(GestureLabelsException.class, test, () -> new DvsGestureDataset(root).samples(Split.TEST),
                "line 3", "user02_led_labels.csv missing");
        Path csv = root.resolve("user01_led_labels.csv");
        Files.writeString(csv, HEADER + "11,0,10000\r\n12,1,2\r\n");
        assertFails(GestureLabelsException.class, csv, () -> new DvsGestureDataset(root).load(Split.TRAIN),
                "line 3", "class 12 outside 1-11");
    }
}
