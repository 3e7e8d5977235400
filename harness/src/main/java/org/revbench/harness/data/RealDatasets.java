package org.revbench.harness.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.revbench.core.data.EventSample;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;
import org.revbench.core.data.augment.CifarAugment;
import org.revbench.core.data.augment.DvsAugment;
import org.revbench.core.data.augment.ImageNetAugment;
import org.revbench.core.data.catalog.DataDirectory;
import org.revbench.core.data.catalog.DatasetCatalog;
import org.revbench.core.data.event.Cifar10DvsDataset;
import org.revbench.core.data.event.DvsGestureDataset;
import org.revbench.core.data.event.EventFileReader;
import org.revbench.core.data.frames.EventFrames;
import org.revbench.core.data.frames.FrameCache;
import org.revbench.core.data.frames.FrameSpec;
import org.revbench.core.data.frames.SourceId;
import org.revbench.core.data.frames.SplitBy;
import org.revbench.core.data.image.CifarReader;
import org.revbench.core.data.image.IdxReader;
import org.revbench.core.data.image.ImageFolderException;
import org.revbench.core.data.image.ImageFolderReader;
import org.revbench.core.data.loader.BatchLoader;
import org.revbench.core.data.loader.SampleSource;
import org.revbench.core.model.InputSpec;

/**
 * The real datasets, by name, and how each is prepared for one model ({@link #prepare}): its train and test sample
 * sources, in the model's input format, with the papers' augmentation on the training split. A training run's
 * batches and test are the protocol package's {@code TrainData}, made from a prepared dataset (or from synthetic
 * data); it never asks which dataset it is.
 *
 * <ul>
 *   <li>{@code cifar10}, {@code cifar100}: crop 32 pad 4 + flip + the papers' normalisation;</li>
 *   <li>{@code fashion-mnist}: 28x28 grey, padded to the model's size (32x32) and repeated over its channels, the
 *       same augmentation (the stand-in for CIFAR on machines without it);</li>
 *   <li>{@code cifar10-dvs}, {@code dvs128-gesture}: frames {@code [T, 2, H, W]} by event number, resized to the
 *       model's input, cached on disk, with the DVS augmentation on the training split;</li>
 *   <li>{@code imagenet}: the class folders {@code train/} and {@code val/}, each image decoded when its batch is
 *       loaded, centre-cropped to a square and scaled to {@code round(side / 0.875)}, then a random (training) or the
 *       centred (evaluation) window of the model's side, flipped at random in training, ImageNet's normalisation
 *       ({@link ImageNetAugment}; not RandAugment).</li>
 * </ul>
 */
public final class RealDatasets {

    /** The sources and their shapes. */
    public record Prepared(String name, Path root, SampleSource train, SampleSource test, BatchLoader.Layout layout,
                           int[] sampleShape, int classes) {}

    public static final List<String> NAMES = List.of("cifar10", "cifar100", "fashion-mnist", "cifar10-dvs", "dvs128-gesture",
            "imagenet");

    private RealDatasets() {}

    /**
     * Prepares dataset {@code name} for a model with input {@code input} at {@code timesteps}. {@code root} is
     * the dataset's own folder if given (e.g. one written by {@code data make-events}), else it is located in the
     * data directory. {@code sensor} (0: the format's) crops event recordings to the sensor region they used.
     */
    public static Prepared prepare(String name, Path root, DataDirectory dir, InputSpec input, int timesteps, int sensor)
            throws IOException {
        return prepare(name, root, dir, input, timesteps, sensor, true);
    }

    /** As above; {@code augment} false leaves the training samples unaugmented (only normalised). */
    public static Prepared prepare(String name, Path root, DataDirectory dir, InputSpec input, int timesteps, int sensor,
                                   boolean augment) throws IOException {
        Path at = root != null ? root : dir.locate(DatasetCatalog.load().get(name));
        switch (name) {
            case "cifar10":
            case "cifar100":
            case "fashion-mnist": {
                if (input.events()) {
                    throw new IllegalArgumentException(name + " holds images; this model takes event frames");
                }
                ImageSet train = images(name, at, Split.TRAIN, input);
                ImageSet test = images(name, at, Split.TEST, input);
                CifarAugment aug = augmentFor(input.channels());
                return new Prepared(name, at, SampleSource.images(train, aug, augment), SampleSource.images(test, aug, false),
                        BatchLoader.Layout.IMAGES, new int[] {input.channels(), input.height(), input.width()}, train.classes());
            }
            case "cifar10-dvs":
            case "dvs128-gesture": {
                if (!input.events() || input.channels() != 2) {
                    throw new IllegalArgumentException(name + " holds events (2 polarity channels); this model takes " + input);
                }
                FrameSpec spec = FrameSpec.of(timesteps, SplitBy.NUMBER, input.height(), input.width());
                FrameCache cache = new FrameCache(dir.root().resolve(".cache").resolve("frames").resolve(name));
                EventSet events = name.equals("cifar10-dvs") ? EventSet.cifar10Dvs(at) : EventSet.gesture(at);
                events.checkRecordings();
                return new Prepared(name, at, events.source(Split.TRAIN, spec, cache, sensor, augment ? DvsAugment.paper() : null),
                        events.source(Split.TEST, spec, cache, sensor, null), BatchLoader.Layout.FRAMES,
                        new int[] {timesteps, 2, input.height(), input.width()}, events.classes());
            }
            case "imagenet":
                return imageNet(at, input, augment);
            default:
                throw new IllegalArgumentException("unknown dataset '" + name + "'; training data: " + String.join(", ", NAMES));
        }
    }

    /** ImageNet-1k's class folders {@code root/train} and {@code root/val}, read lazily (see the class comment). */
    static Prepared imageNet(Path root, InputSpec input, boolean augment) throws IOException {
        if (input.events() || input.channels() != 3 || input.height() != input.width()) {
            throw new IllegalArgumentException("imagenet holds RGB images cropped square; this model takes " + input);
        }
        ImageNetAugment aug = new ImageNetAugment(input.height(), 0.5);
        int side = aug.fittedSize();
        ImageFolderReader train = ImageFolderReader.classFolders(root.resolve("train"), side, side, ImageFolderReader.Fit.CENTER_CROP);
        ImageFolderReader val = ImageFolderReader.classFolders(root.resolve("val"), side, side, ImageFolderReader.Fit.CENTER_CROP);
        if (!val.classes().equals(train.classes())) {
            throw new ImageFolderException(root.resolve("val"), "", "its " + val.classes().size()
                    + " class folders are not train/'s " + train.classes().size() + " (val/ must hold one folder per"
                    + " training class, named as in train/, as torchvision's ImageFolder reads it)");
        }
        return new Prepared("imagenet", root, SampleSource.imageFolder(train, aug, augment), SampleSource.imageFolder(val, aug, false),
                BatchLoader.Layout.IMAGES, new int[] {3, input.height(), input.width()}, train.classes().size());
    }

    private static CifarAugment augmentFor(int channels) {
        if (channels == 3) {
            return CifarAugment.paper();
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        java.util.Arrays.fill(mean, CifarAugment.PAPER_MEAN[0]);
        java.util.Arrays.fill(std, CifarAugment.PAPER_STD[0]);
        return new CifarAugment(mean, std, 4, 0.5);
    }

    static ImageSet images(String name, Path at, Split split, InputSpec input) throws IOException {
        ImageSet set = switch (name) {
            case "cifar10" -> CifarReader.readCifar10(at, split);
            case "cifar100" -> CifarReader.readCifar100(at, split);
            default -> IdxReader.readFashionMnist(at, split);
        };
        return fit(set, input);
    }

    /** Pads (centred, zeros) to the model's size and repeats a grey channel over the model's channels. */
    static ImageSet fit(ImageSet s, InputSpec input) {
        if (s.channels() == input.channels() && s.height() == input.height() && s.width() == input.width()) {
            return s;
        }
        if (s.height() > input.height() || s.width() > input.width() || (s.channels() != 1 && s.channels() != input.channels())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s images %dx%dx%d do not fit the model's input %s",
                    s.name(), s.channels(), s.height(), s.width(), input));
        }
        int c = input.channels();
        int h = input.height();
        int w = input.width();
        int top = (h - s.height()) / 2;
        int left = (w - s.width()) / 2;
        byte[] out = new byte[s.size() * c * h * w];
        for (int i = 0; i < s.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int src = s.channels() == 1 ? 0 : ch;
                for (int y = 0; y < s.height(); y++) {
                    System.arraycopy(s.pixels(), i * s.imageBytes() + (src * s.height() + y) * s.width(), out,
                            ((i * c + ch) * h + top + y) * w + left, s.width());
                }
            }
        }
        return new ImageSet(s.name() + " padded to " + c + "x" + h + "x" + w, out, s.labels(), c, h, w, s.classes());
    }

    /**
     * Checks every recording of both splits by its header and event block lengths, without decoding events: the
     * recordings are read lazily, batch by batch, so without this a damaged file deep in the set (the test split is
     * read last) would fail a run hours in. It costs a file open and a header per recording (plus a packet header
     * per few thousand events in AEDAT 3.1).
     */
    static void checkRecordings(List<Path> recordings, EventFileReader reader) throws IOException {
        for (Path f : recordings) {
            reader.countEvents(f);
        }
    }

    /** A DVS dataset's recordings, read lazily, one file (or trial) at a time. */
    private interface EventSet {
        int classes();

        /** {@link RealDatasets#checkRecordings} on both splits. */
        void checkRecordings() throws IOException;

        SampleSource source(Split split, FrameSpec spec, FrameCache cache, int sensor, DvsAugment augment) throws IOException;

        static EventSet cifar10Dvs(Path root) throws IOException {
            Cifar10DvsDataset ds = new Cifar10DvsDataset(root);
            int classes = ds.classes().size();
            return new EventSet() {
                @Override
                public int classes() { return classes; }

                @Override
                public void checkRecordings() throws IOException {
                    RealDatasets.checkRecordings(ds.recordings(Split.TRAIN), ds.reader());
                    RealDatasets.checkRecordings(ds.recordings(Split.TEST), ds.reader());
                }

                @Override
                public SampleSource source(Split split, FrameSpec spec, FrameCache cache, int sensor, DvsAugment augment)
                        throws IOException {
                    List<Cifar10DvsDataset.SampleRef> refs = ds.samples(split);
                    return SampleSource.frames(refs.size(), i -> {
                        Cifar10DvsDataset.SampleRef r = refs.get(i);
                        return cache.get(SourceId.ofFile(r.file(), "sensor" + sensor), spec,
                                () -> crop(ds.load(r), sensor).events());
                    }, i -> refs.get(i).label(), augment);
                }
            };
        }

        static EventSet gesture(Path root) throws IOException {
            DvsGestureDataset ds = DvsGestureDataset.in(root);
            return new EventSet() {
                @Override
                public int classes() { return DvsGestureDataset.CLASSES; }

                @Override
                public void checkRecordings() throws IOException {
                    RealDatasets.checkRecordings(ds.recordings(Split.TRAIN), ds.reader());
                    RealDatasets.checkRecordings(ds.recordings(Split.TEST), ds.reader());
                }

                @Override
                public SampleSource source(Split split, FrameSpec spec, FrameCache cache, int sensor, DvsAugment augment)
                        throws IOException {
                    List<DvsGestureDataset.SampleRef> refs = ds.samples(split);
                    return SampleSource.frames(refs.size(), i -> {
                        DvsGestureDataset.SampleRef r = refs.get(i);
                        return cache.get(SourceId.ofFile(r.aedat(), r.row() + ":sensor" + sensor), spec,
                                () -> crop(ds.load(r), sensor).events());
                    }, i -> refs.get(i).label(), augment);
                }
            };
        }
    }

    static EventSample crop(EventSample s, int sensor) {
        return sensor <= 0 ? s : new EventSample(s.events().withSensor(sensor, sensor), s.label(), s.source());
    }

    /** Frames of one recording, for tests and diagnostics. */
    public static float[] frames(EventSample s, FrameSpec spec) {
        return EventFrames.integrate(s.events(), spec).data();
    }
}
