package org.revbench.core.data.event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.data.EventSample;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.Split;

/**
 * DVS128 Gesture as SpikingJelly builds it ({@code dvs128_gesture._split_aedat_files_to_np}): the trials named by
 * {@code trials_to_train.txt} / {@code trials_to_test.txt} in {@code root} (the extracted {@code DvsGesture}
 * folder), each cut by the rows of its labels CSV into one sample per row holding the events with
 * {@code start <= t < end} (a mask over the whole trial, so overlapping rows share events), label = class - 1.
 * On the real dataset: 1176 train and 288 test samples, 11 classes, 128x128.
 *
 * <p>{@link #trials} and {@link #samples} read only the text files; {@link #loadTrial} reads one recording and
 * cuts all its samples, so a caller can walk the dataset a trial at a time. A sample's source is
 * {@code "userNN_lighting.aedat#row"}, row being its 0-based data row in the labels CSV.
 */
public final class DvsGestureDataset {
    public static final String TRAIN_LIST = "trials_to_train.txt";
    public static final String TEST_LIST = "trials_to_test.txt";
    public static final int CLASSES = GestureLabels.CLASSES;

    /** A sample not yet loaded: where it is and what it is. */
    public record SampleRef(Path aedat, int row, int label, long startUs, long endUs) {
        public String source() { return aedat.getFileName() + "#" + row; }
    }

    /** One recording and the samples its labels CSV cuts from it. */
    public record Trial(Path aedat, Path labels, List<SampleRef> samples) {}

    private final Path root;
    private final Aedat31Reader reader;

    public DvsGestureDataset(Path root) {
        this(root, new Aedat31Reader());
    }

    public DvsGestureDataset(Path root, Aedat31Reader reader) {
        this.root = root;
        this.reader = reader;
    }

    /**
     * The dataset in {@code root}: its {@code DvsGesture} folder where it has one (the extracted archive, and what
     * {@code revbench data make-events} writes), else {@code root} itself.
     */
    public static DvsGestureDataset in(Path root) {
        Path folder = root.resolve("DvsGesture");
        return new DvsGestureDataset(Files.isDirectory(folder) ? folder : root);
    }

    public Path root() { return root; }

    /** The reader of the recordings (AEDAT 3.1). */
    public EventFileReader reader() { return reader; }

    /** The split's recordings; reads its trial list and labels CSVs, no recording. */
    public List<Path> recordings(Split split) throws IOException {
        return trials(split).stream().map(Trial::aedat).toList();
    }

    public static String listFile(Split split) {
        return split == Split.TRAIN ? TRAIN_LIST : TEST_LIST;
    }

    /** The split's trials in list order, with their label rows (reads only the list and the CSVs). */
    public List<Trial> trials(Split split) throws IOException {
        List<Trial> trials = new ArrayList<>();
        for (Path aedat : GestureLabels.readTrialList(root.resolve(listFile(split)))) {
            Path labels = GestureLabels.labelsFileFor(aedat);
            List<SampleRef> refs = new ArrayList<>();
            List<GestureLabels.Window> rows = GestureLabels.readLabels(labels);
            for (int r = 0; r < rows.size(); r++) {
                GestureLabels.Window w = rows.get(r);
                refs.add(new SampleRef(aedat, r, w.label(), w.startUs(), w.endUs()));
            }
            trials.add(new Trial(aedat, labels, List.copyOf(refs)));
        }
        return trials;
    }

    /** Every sample of the split, trial after trial, row after row, none loaded. */
    public List<SampleRef> samples(Split split) throws IOException {
        List<SampleRef> all = new ArrayList<>();
        for (Trial t : trials(split)) {
            all.addAll(t.samples());
        }
        return all;
    }

    /** Reads the trial's recording once and cuts all its samples. */
    public List<EventSample> loadTrial(Trial trial) throws IOException {
        EventStream events = reader.read(trial.aedat());
        List<EventSample> out = new ArrayList<>(trial.samples().size());
        for (SampleRef ref : trial.samples()) {
            out.add(new EventSample(cut(events, ref.startUs(), ref.endUs()), ref.label(), ref.source()));
        }
        return out;
    }

    /** One sample; reads its whole recording, so prefer {@link #loadTrial} to load many. */
    public EventSample load(SampleRef ref) throws IOException {
        EventStream events = reader.read(ref.aedat());
        return new EventSample(cut(events, ref.startUs(), ref.endUs()), ref.label(), ref.source());
    }

    /** The whole split in memory: for small sets; walk {@link #trials} with {@link #loadTrial} for the real one. */
    public List<EventSample> load(Split split) throws IOException {
        List<EventSample> out = new ArrayList<>();
        for (Trial t : trials(split)) {
            out.addAll(loadTrial(t));
        }
        return out;
    }

    /**
     * The events with {@code startUs <= t < endUs}, in recording order. A mask over all events, as SpikingJelly
     * cuts, rather than a binary search: it makes no assumption that timestamps never step back.
     */
    public static EventStream cut(EventStream events, long startUs, long endUs) {
        long[] t = events.t();
        int n = 0;
        for (int i = 0; i < events.size(); i++) {
            if (t[i] >= startUs && t[i] < endUs) {
                n++;
            }
        }
        EventStream.Builder b = new EventStream.Builder(events.width(), events.height());
        b.ensure(n);
        for (int i = 0; i < events.size(); i++) {
            if (t[i] >= startUs && t[i] < endUs) {
                b.add(t[i], events.x()[i], events.y()[i], events.p()[i]);
            }
        }
        return b.build().trimmed();
    }
}
