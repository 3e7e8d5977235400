package org.revbench.core.data.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.Split;
import org.revbench.core.data.event.Cifar10DvsDataset;
import org.revbench.core.data.event.DvsGestureDataset;
import org.revbench.core.data.event.EventFileReader;
import org.revbench.core.data.event.TimestampOrder;

/**
 * The recordings of an event dataset, each checked by its format's reader: the layout as the dataset's reader lists
 * it, then every file, fully ({@link EventFileReader#validate}) or by headers and block lengths
 * ({@link EventFileReader#countEvents}). One row per damaged file, naming it and the problem; one row for the rest.
 */
final class RecordingsCheck {

    /** A dataset's recordings by split and their reader, as training reads them. */
    record Recordings(List<Path> train, List<Path> test, EventFileReader reader) {

        List<Path> files() {
            List<Path> all = new ArrayList<>(train);
            all.addAll(test);
            return all;
        }
    }

    private RecordingsCheck() {}

    static boolean isEventDataset(String name) {
        return name.equals("cifar10-dvs") || name.equals("dvs128-gesture");
    }

    /** The recordings of dataset {@code name} at {@code root}, or null for a dataset that has none. */
    static Recordings list(String name, Path root) throws IOException {
        switch (name) {
            case "cifar10-dvs": {
                Cifar10DvsDataset ds = new Cifar10DvsDataset(root);
                return new Recordings(ds.recordings(Split.TRAIN), ds.recordings(Split.TEST), ds.reader());
            }
            case "dvs128-gesture": {
                DvsGestureDataset ds = DvsGestureDataset.in(root);
                return new Recordings(ds.recordings(Split.TRAIN), ds.recordings(Split.TEST), ds.reader());
            }
            default:
                return null;
        }
    }

    static List<DatasetCheck.Row> rows(String name, Path root, boolean full) {
        List<DatasetCheck.Row> rows = new ArrayList<>();
        Recordings recordings;
        try {
            recordings = list(name, root);
        } catch (IOException e) {
            // a layout problem may be in any folder or list: the message names it
            rows.add(new DatasetCheck.Row("layout", DatasetCheck.Status.BAD, e.getMessage()));
            return rows;
        }
        if (recordings == null) {
            return rows;
        }
        if (recordings.train().isEmpty() || recordings.test().isEmpty()) {
            // training on it would report an accuracy over no samples (NaN), or train on nothing
            rows.add(new DatasetCheck.Row("splits", DatasetCheck.Status.BAD, recordings.train().size() + " train / "
                    + recordings.test().size() + " test recordings: the " + (recordings.train().isEmpty() ? "training"
                    : "test") + " split is empty"));
        }
        long events = 0;
        int bad = 0;
        for (Path f : recordings.files()) {
            try {
                events += full ? recordings.reader().validate(f) : recordings.reader().countEvents(f);
            } catch (IOException e) {
                bad++;
                if (bad <= DatasetCheck.MAX_BAD_ROWS) {
                    rows.add(new DatasetCheck.Row(relative(root, f), DatasetCheck.Status.BAD, describe(e)));
                }
            }
        }
        int n = recordings.files().size();
        if (bad > DatasetCheck.MAX_BAD_ROWS) {
            rows.add(new DatasetCheck.Row("recordings", DatasetCheck.Status.BAD, (bad - DatasetCheck.MAX_BAD_ROWS)
                    + " more damaged recordings not listed (" + bad + " of " + n + " in all)"));
        } else if (bad == 0) {
            rows.add(new DatasetCheck.Row("recordings", DatasetCheck.Status.OK, String.format(Locale.ROOT,
                    "%d files (%d train, %d test), %d events; %s", n, recordings.train().size(),
                    recordings.test().size(), events, full
                            ? "every event decoded, timestamps in order within " + TimestampOrder.TOLERANCE_US + " us"
                            : "headers and event block lengths only (no events decoded)")));
        }
        return rows;
    }

    /** The problem and where it is (the row names the file), or the exception for other read errors. */
    private static String describe(IOException e) {
        if (e instanceof DatasetFormatException f) {
            return f.location() == null || f.location().isEmpty() ? f.problem() : f.location() + ": " + f.problem();
        }
        return "unreadable: " + e;
    }

    private static String relative(Path root, Path f) {
        Path base = root.toAbsolutePath().normalize();
        Path file = f.toAbsolutePath().normalize();
        return file.startsWith(base) ? base.relativize(file).toString() : file.toString();
    }
}
