package org.revbench.core.data.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.core.data.event.AedatBytes.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.EventSample;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.Split;
import org.revbench.core.data.event.Cifar10DvsDataset.FileOrder;

/** Three classes of 11 recordings each; recording i of class c holds i + 1 events, all at x = label. */
class Cifar10DvsDatasetTest {
    static final String[] CLASSES = {"cat", "airplane", "bird"};

    @TempDir
    Path root;

    @BeforeEach
    void layout() throws IOException {
        for (String c : CLASSES) {
            Path dir = Files.createDirectories(root.resolve(c));
            int label = List.of("airplane", "bird", "cat").indexOf(c);
            for (int i = 0; i < 11; i++) {
                EventStream.Builder b = new EventStream.Builder(128, 128);
                for (int k = 0; k <= i; k++) {
                    b.add(k, label, k, k % 2);
                }
                new Aedat2Writer().write(dir.resolve("cifar10_" + c + "_" + i + ".aedat"), b.build());
            }
            Files.writeString(dir.resolve("README.txt"), "not a sample");
        }
        Files.writeString(root.resolve("notes.txt"), "not a class");
    }

    @Test
    void ninetyTenSplitPerClassInNumericOrderWithSortedClassLabels() throws IOException {
        Cifar10DvsDataset ds = new Cifar10DvsDataset(root);
        assertEquals(List.of("airplane", "bird", "cat"), ds.classes());
        List<Cifar10DvsDataset.SampleRef> train = ds.samples(Split.TRAIN);
        List<Cifar10DvsDataset.SampleRef> test = ds.samples(Split.TEST);
        assertEquals(30, train.size()); // ceil(0.9 * 11) = 10 per class
        assertEquals(3, test.size());
        assertEquals("airplane/cifar10_airplane_0.aedat", train.get(0).source());
        assertEquals("airplane/cifar10_airplane_9.aedat", train.get(9).source());
        assertEquals("bird/cifar10_bird_0.aedat", train.get(10).source());
        assertEquals("cat/cifar10_cat_10.aedat", test.get(2).source());
        List<EventSample> loaded = ds.load(Split.TEST);
        for (int label = 0; label < 3; label++) {
            EventSample s = loaded.get(label);
            assertEquals(label, s.label());
            assertEquals(11, s.events().size(), "sample 10 holds 11 events");
            assertEquals(label, s.events().x()[0]);
        }
        EventSample first = ds.load(train.get(4));
        assertEquals(5, first.events().size());
        assertEquals("airplane/cifar10_airplane_4.aedat", first.source());
    }

    @Test
    void nameOrderIsWhatSpikingJellySplitsAndDiffers() throws IOException {
        Cifar10DvsDataset ds = new Cifar10DvsDataset(root, new Aedat2Reader(), FileOrder.NAME);
        List<Cifar10DvsDataset.SampleRef> test = ds.samples(Split.TEST);
        // string order 0, 1, 10, 2, ..., 9: the last one, sample 9, is the test sample
        assertEquals("airplane/cifar10_airplane_9.aedat", test.get(0).source());
        assertEquals("airplane/cifar10_airplane_10.aedat", ds.samples(Split.TRAIN).get(2).source());
    }

    @Test
    void trainCountIsCeilingOfNinetyPercent() {
        assertEquals(900, Cifar10DvsDataset.trainCount(1000));
        assertEquals(9, Cifar10DvsDataset.trainCount(10));
        assertEquals(5, Cifar10DvsDataset.trainCount(5));
        assertEquals(1, Cifar10DvsDataset.trainCount(1));
        assertEquals(0, Cifar10DvsDataset.trainCount(0));
        for (int n = 0; n < 5000; n++) {
            assertEquals((int) Math.ceil(n * 0.9), Cifar10DvsDataset.trainCount(n), "n = " + n);
        }
    }

    @Test
    void layoutErrors() throws IOException {
        Path odd = Files.write(root.resolve("cat").resolve("cifar10_cat.aedat"), new byte[0]);
        assertFails(Cifar10DvsDataset.LayoutException.class, odd,
                () -> new Cifar10DvsDataset(root).samples(Split.TRAIN), "does not end in a sample index");
        Files.delete(odd);
        Path dup = Files.write(root.resolve("cat").resolve("other_3.aedat"), new byte[0]);
        assertFails(Cifar10DvsDataset.LayoutException.class, root.resolve("cat"),
                () -> new Cifar10DvsDataset(root).samples(Split.TRAIN),
                "cifar10_cat_3.aedat and other_3.aedat share index 3");
        Files.delete(dup);
        Path empty = Files.createDirectories(root.resolve("dog"));
        assertFails(Cifar10DvsDataset.LayoutException.class, empty,
                () -> new Cifar10DvsDataset(root).samples(Split.TEST), "class folder without .aedat files");
        Path nothing = Files.createDirectories(root.resolve("x").resolve("y"));
        assertFails(Cifar10DvsDataset.LayoutException.class, nothing, () -> new Cifar10DvsDataset(nothing).classes(),
                "no class folders");
        Files.delete(nothing);
        Files.delete(nothing.getParent());
        Files.delete(empty);
        // a corrupt recording surfaces as the reader's own exception when loaded
        Path bad = Files.write(root.resolve("cat").resolve("cifar10_cat_10.aedat"), new byte[] {1, 2, 3});
        Cifar10DvsDataset ds = new Cifar10DvsDataset(root);
        assertTrue(ds.samples(Split.TEST).stream().anyMatch(r -> r.file().equals(bad)));
        assertFails(AedatFormatException.class, bad, () -> ds.load(Split.TEST), "missing header");
    }
}
