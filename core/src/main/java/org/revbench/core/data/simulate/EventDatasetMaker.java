package org.revbench.core.data.simulate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.revbench.core.data.EventSample;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.event.Aedat2Writer;
import org.revbench.core.data.event.Aedat31Writer;
import org.revbench.core.data.event.Cifar10DvsDataset;
import org.revbench.core.data.event.DvsGestureDataset;
import org.revbench.core.data.event.GestureLabels;

/**
 * Writes an image set, recorded by the {@link EventCamera}, as a real DVS dataset on disk, so that the real DVS
 * readers and the frame pipeline run end to end on learnable data:
 *
 * <ul>
 *   <li>{@link #writeCifar10DvsLayout}: AEDAT 2.0 files in CIFAR10-DVS's layout, {@code {class}/{prefix}_{class}_{i}.aedat},
 *       one recording per image. Folder names start with the class index so that their sorted order is the label
 *       order. With the 10,000 Fashion-MNIST test images this is CIFAR10-DVS's shape: 10 classes of 1,000, and
 *       the reader's first-90 % split gives 900 / 100 per class.</li>
 *   <li>{@link #writeGestureLayout}: AEDAT 3.1 trials in DVS128 Gesture's layout, {@code DvsGesture/userNN_light.aedat}
 *       each holding {@code perTrial} recordings back to back, with its {@code _labels.csv} (class 1-based,
 *       start, end in microseconds) and the trial lists (the first 80 % of trials train).</li>
 * </ul>
 * Every image is recorded with its own seed ({@code seed} and the image index), so the output does not depend on
 * how many threads record.
 */
public final class EventDatasetMaker {

    /** Lighting names of DVS128 Gesture, cycled over the trials of one synthetic user. */
    static final String[] LIGHTINGS = {"fluorescent", "fluorescent_led", "lab", "led", "natural"};
    /** Pause between two recordings in a trial, so that no window touches the next. */
    static final long GAP_MICROS = 20_000;
    /**
     * Both formats address a DVS128: a smaller simulated sensor is embedded at the origin of the 128x128 space, and
     * readers crop back to it with {@code EventStream.withSensor}.
     */
    static final int ADDRESS_SPACE = 128;

    private final EventCamera camera;
    private final long seed;
    private final int threads;

    public EventDatasetMaker(EventCamera camera, long seed, int threads) {
        this.camera = camera;
        this.seed = seed;
        this.threads = Math.max(1, threads);
    }

    /** The seed of image {@code i}. */
    long imageSeed(int i) {
        return seed * 1_000_003L + i;
    }

    /**
     * Refuses a CIFAR10-DVS layout of the first {@code count} images in which a class would have no test recording:
     * the reader tests the last 10 % of each class, rounded down ({@link Cifar10DvsDataset#trainCount}), so every
     * class needs at least {@link #MIN_CLASS_RECORDINGS}. Otherwise training on it reports an accuracy over no
     * samples, or (a class without images leaves its folder empty) fails only when it is read.
     */
    public static void requireCifar10DvsTestSplit(ImageSet set, int count) {
        int[] perClass = new int[set.classes()];
        for (int i = 0; i < count; i++) {
            perClass[set.labels()[i]]++;
        }
        for (int c = 0; c < perClass.length; c++) {
            if (perClass[c] - Cifar10DvsDataset.trainCount(perClass[c]) == 0) {
                int enough = firstCountWithEveryClass(set, MIN_CLASS_RECORDINGS);
                throw new IllegalArgumentException("the first " + count + " images give class " + c + " only " + perClass[c]
                        + " recording(s), none for the test split (the last 10 % of each class, rounded down), so every"
                        + " class needs at least " + MIN_CLASS_RECORDINGS + "; " + (enough > 0 ? "the first " + enough
                        + " images give each class " + MIN_CLASS_RECORDINGS : "this image set has too few"));
            }
        }
    }

    /**
     * Refuses a DVS128 Gesture layout of {@code count} images in trials of {@code perTrial} that would have no test
     * trial: the first 80 % of trials, rounded up, train, so at least {@link #MIN_TRIALS} trials are needed.
     */
    public static void requireGestureTestSplit(int count, int perTrial) {
        int trials = (count + perTrial - 1) / perTrial;
        if (trials - trainTrials(trials) == 0) {
            throw new IllegalArgumentException(count + " images in trials of " + perTrial + " make " + trials
                    + " trial(s), none for the test split (the last 20 % of trials, rounded down), so at least "
                    + MIN_TRIALS + " trials are needed: " + ((MIN_TRIALS - 1) * perTrial + 1) + " images or more, or "
                    + "fewer per trial");
        }
    }

    /** Recordings a class needs for {@code ceil(0.9 n)} to leave one to test. */
    public static final int MIN_CLASS_RECORDINGS = 10;
    /** Trials needed for {@code ceil(0.8 n)} to leave one to test. */
    public static final int MIN_TRIALS = 5;

    private static int trainTrials(int trials) {
        return (int) Math.ceil(trials * 0.8);
    }

    /** The smallest n such that the first n images hold {@code each} of every class, or -1. */
    private static int firstCountWithEveryClass(ImageSet set, int each) {
        int[] seen = new int[set.classes()];
        int classesShort = set.classes();
        for (int i = 0; i < set.size(); i++) {
            if (++seen[set.labels()[i]] == each && --classesShort == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Writes the first {@code count} images in CIFAR10-DVS layout under {@code out}; returns the number of events.
     * {@code classNames} name the folders (index prefixed); {@code progress} receives the number done so far.
     */
    public long writeCifar10DvsLayout(ImageSet set, int count, List<String> classNames, String prefix, Path out,
                                      IntConsumer progress) throws IOException {
        check(set, count, classNames);
        requireCifar10DvsTestSplit(set, count);
        int[] indexInClass = new int[set.classes()];
        int[] fileIndex = new int[count];
        for (int i = 0; i < count; i++) {
            fileIndex[i] = indexInClass[set.labels()[i]]++;
        }
        for (int c = 0; c < set.classes(); c++) {
            Files.createDirectories(out.resolve(folder(c, classNames)));
        }
        AtomicInteger done = new AtomicInteger();
        Aedat2Writer writer = new Aedat2Writer();
        long[] events = new long[count];
        run(count, i -> {
            EventSample s = camera.simulate(set, i, imageSeed(i));
            String cls = folder(s.label(), classNames);
            Path file = out.resolve(cls).resolve(prefix + "_" + cls + "_" + fileIndex[i] + ".aedat");
            try {
                writer.write(file, s.events().withSensor(ADDRESS_SPACE, ADDRESS_SPACE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            events[i] = s.events().size();
            progress.accept(done.incrementAndGet());
        });
        return sum(events);
    }

    /**
     * Writes the first {@code count} images as AEDAT 3.1 trials of {@code perTrial} recordings in DVS128 Gesture's
     * layout under {@code out/DvsGesture}; returns the number of events.
     */
    public long writeGestureLayout(ImageSet set, int count, int perTrial, Path out, IntConsumer progress)
            throws IOException {
        check(set, count, null);
        if (set.classes() > GestureLabels.CLASSES) {
            throw new IllegalArgumentException(set.classes() + " classes do not fit the Gesture labels (1-11)");
        }
        requireGestureTestSplit(count, perTrial);
        Path root = out.resolve("DvsGesture");
        Files.createDirectories(root);
        int trials = (count + perTrial - 1) / perTrial;
        AtomicInteger done = new AtomicInteger();
        Aedat31Writer writer = new Aedat31Writer();
        long[] events = new long[trials];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < trials; k++) {
            names.add(String.format(Locale.ROOT, "user%02d_%s", k / LIGHTINGS.length + 1, LIGHTINGS[k % LIGHTINGS.length]));
        }
        run(trials, k -> {
            int from = k * perTrial;
            int to = Math.min(count, from + perTrial);
            EventStream.Builder b = new EventStream.Builder(camera.config().width(), camera.config().height());
            StringBuilder csv = new StringBuilder(GestureLabels.HEADER).append("\r\n");
            long offset = 0;
            for (int i = from; i < to; i++) {
                EventSample s = camera.simulate(set, i, imageSeed(i));
                EventStream e = s.events();
                b.ensure(e.size());
                for (int j = 0; j < e.size(); j++) {
                    b.add(offset + e.t()[j], e.x()[j], e.y()[j], e.p()[j]);
                }
                long end = offset + camera.durationMicros();
                csv.append(s.label() + 1).append(',').append(offset).append(',').append(end).append("\r\n");
                offset = end + GAP_MICROS;
                progress.accept(done.incrementAndGet());
            }
            try {
                writer.write(root.resolve(names.get(k) + ".aedat"), b.build().withSensor(ADDRESS_SPACE, ADDRESS_SPACE));
                Files.writeString(root.resolve(names.get(k) + "_labels.csv"), csv, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            events[k] = b.size();
        });
        int train = trainTrials(trials);
        Files.write(root.resolve(DvsGestureDataset.TRAIN_LIST), lines(names.subList(0, train)), StandardCharsets.US_ASCII);
        Files.write(root.resolve(DvsGestureDataset.TEST_LIST), lines(names.subList(train, trials)), StandardCharsets.US_ASCII);
        return sum(events);
    }

    private static List<String> lines(List<String> names) {
        return names.stream().map(n -> n + ".aedat").toList();
    }

    private void run(int n, IntConsumer body) throws IOException {
        try {
            if (threads == 1) {
                IntStream.range(0, n).forEach(body);
            } else {
                java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
                try {
                    pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
                } finally {
                    pool.shutdown();
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException(e.getCause());
        }
    }

    private static String folder(int label, List<String> classNames) {
        String name = classNames == null || label >= classNames.size() ? "class" + label : classNames.get(label);
        return label + "-" + name;
    }

    private static void check(ImageSet set, int count, List<String> classNames) {
        if (count < 1 || count > set.size()) {
            throw new IllegalArgumentException("count must be in 1.." + set.size() + ", got " + count);
        }
        if (set.classes() > 10 && classNames != null) {
            throw new IllegalArgumentException("folder names are index-prefixed for at most 10 classes, so that "
                    + "their sorted order is the label order; got " + set.classes());
        }
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }
}
