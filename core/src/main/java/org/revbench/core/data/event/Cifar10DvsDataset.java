package org.revbench.core.data.event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.EventSample;
import org.revbench.core.data.Split;

/**
 * CIFAR10-DVS (docs/architecture.md, Datasets and file formats): {@code root/{class}/cifar10_{class}_{i}.aedat}, AEDAT
 * 2.0. The class folders sorted by name give the label order (airplane = 0 ... truck = 9, as torchvision's
 * DatasetFolder under SpikingJelly sorts them; hidden folders are skipped). Any {@code *.aedat} in a class folder is a
 * sample; other files are not samples and are not listed. The dataset has no official split: the first
 * {@code ceil(0.9 n)} files of each class are TRAIN, the rest TEST (SpikingJelly's
 * {@code split_to_train_test_set(0.9, ..., random_split=False)} rounds up the same way).
 *
 * <p>"First" needs an order. {@link FileOrder#NUMERIC} (default) orders by the integer that ends the file name, so
 * samples 0-899 train; {@link FileOrder#NAME} orders by plain file name, which is what SpikingJelly's split sees
 * (DatasetFolder lists files sorted as strings: 0, 1, 10, 100, 101, ...), and gives a different split.
 */
public final class Cifar10DvsDataset {
    public static final String EXTENSION = ".aedat";

    /** How files are ordered inside a class before the 90/10 cut. */
    public enum FileOrder { NUMERIC, NAME }

    /** A sample not yet loaded. */
    public record SampleRef(Path file, int label, String className) {
        public String source() { return className + "/" + file.getFileName(); }
    }

    /** A layout that is not CIFAR10-DVS's: no class folders, an empty class, a name without its index. */
    public static final class LayoutException extends DatasetFormatException {
        private static final long serialVersionUID = 1L;

        public LayoutException(Path file, String problem) {
            super(file, "", problem);
        }
    }

    private final Path root;
    private final Aedat2Reader reader;
    private final FileOrder order;

    public Cifar10DvsDataset(Path root) {
        this(root, new Aedat2Reader(), FileOrder.NUMERIC);
    }

    public Cifar10DvsDataset(Path root, Aedat2Reader reader, FileOrder order) {
        this.root = root;
        this.reader = reader;
        this.order = order;
    }

    /** Training samples out of {@code n} in one class: {@code ceil(0.9 n)}, in integers. */
    public static int trainCount(int n) {
        return (int) ((9L * n + 9) / 10);
    }

    /** Class names in label order. */
    public List<String> classes() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && !name.startsWith(".")) {
                    names.add(name);
                }
            }
        }
        if (names.isEmpty()) {
            throw new LayoutException(root, "no class folders");
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** The split's samples, class after class, each class in {@link FileOrder}. */
    public List<SampleRef> samples(Split split) throws IOException {
        List<String> classes = classes();
        List<SampleRef> out = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            String name = classes.get(label);
            List<Path> files = classFiles(root.resolve(name));
            int train = trainCount(files.size());
            List<Path> part = split == Split.TRAIN ? files.subList(0, train) : files.subList(train, files.size());
            for (Path f : part) {
                out.add(new SampleRef(f, label, name));
            }
        }
        return out;
    }

    /** The reader of the recordings (AEDAT 2.0). */
    public EventFileReader reader() { return reader; }

    /** The split's recordings; lists the folders and reads no recording. */
    public List<Path> recordings(Split split) throws IOException {
        return samples(split).stream().map(SampleRef::file).toList();
    }

    public EventSample load(SampleRef ref) throws IOException {
        return new EventSample(reader.read(ref.file()), ref.label(), ref.source());
    }

    public List<EventSample> load(Split split) throws IOException {
        List<EventSample> out = new ArrayList<>();
        for (SampleRef ref : samples(split)) {
            out.add(load(ref));
        }
        return out;
    }

    private List<Path> classFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        if (files.isEmpty()) {
            throw new LayoutException(dir, "class folder without " + EXTENSION + " files");
        }
        // name order first: it is SpikingJelly's order, and it makes the listing (and any error) deterministic
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        if (order == FileOrder.NAME) {
            return files;
        }
        Map<Path, Long> index = new HashMap<>();
        Map<Long, Path> byIndex = new HashMap<>();
        for (Path f : files) {
            long i = trailingInteger(f);
            Path other = byIndex.put(i, f);
            if (other != null) {
                throw new LayoutException(dir, other.getFileName() + " and " + f.getFileName() + " share index " + i
                        + ": order ambiguous");
            }
            index.put(f, i);
        }
        files.sort(Comparator.comparing(index::get));
        return files;
    }

    private static long trailingInteger(Path f) throws LayoutException {
        String name = f.getFileName().toString();
        String stem = name.substring(0, name.length() - EXTENSION.length());
        int from = stem.length();
        while (from > 0 && stem.charAt(from - 1) >= '0' && stem.charAt(from - 1) <= '9') {
            from--;
        }
        String digits = stem.substring(from);
        if (digits.isEmpty() || digits.length() > 18) {
            throw new LayoutException(f, "file name does not end in a sample index (cifar10_{class}_{i}.aedat)");
        }
        return Long.parseLong(digits);
    }
}
