package org.revbench.core.data.loader;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.augment.CifarAugment;
import org.revbench.core.data.augment.DvsAugment;
import org.revbench.core.data.augment.ImageNetAugment;
import org.revbench.core.data.frames.Frames;
import org.revbench.core.data.image.ImageFolderReader;

/**
 * Indexable samples for a {@link BatchLoader}. {@link #sample} runs on the loader's background thread: it must not
 * touch DJL, and all its randomness must come from the generator it is given (seeded by seed, epoch and index, so
 * a run repeats exactly whatever the thread timing).
 */
public interface SampleSource {

    int size();

    /** Sample {@code index}, loaded and augmented with {@code random}. */
    Sample sample(int index, SplittableRandom random) throws Exception;

    /** Reads the frames of sample {@code index} (e.g. from a {@code FrameCache}). */
    @FunctionalInterface
    interface FrameReader {
        Frames read(int index) throws IOException;
    }

    /**
     * CIFAR-style images: augmented by {@code augment} (crop, flip, normalisation) when {@code train}, otherwise
     * only normalised.
     */
    static SampleSource images(ImageSet set, CifarAugment augment, boolean train) {
        return new SampleSource() {
            @Override
            public int size() { return set.size(); }

            @Override
            public Sample sample(int index, SplittableRandom random) {
                int off = index * set.imageBytes();
                float[] x = train
                        ? augment.apply(set.pixels(), off, set.channels(), set.height(), set.width(), random)
                        : augment.normalize(set.pixels(), off, set.channels(), set.height(), set.width());
                return new Sample(x, set.labels()[index]);
            }
        };
    }

    /** Event frames {@code [T, 2, H, W]}, augmented by {@code augment} if not null. */
    static SampleSource frames(int size, FrameReader reader, IntUnaryOperator label, DvsAugment augment) {
        return new SampleSource() {
            @Override
            public int size() { return size; }

            @Override
            public Sample sample(int index, SplittableRandom random) throws IOException {
                Frames f = reader.read(index);
                float[] x = augment == null ? f.data() : augment.apply(f.data(), f.height(), f.width(), random);
                return new Sample(x, label.applyAsInt(index));
            }
        };
    }

    /**
     * Class-folder images decoded one at a time (ImageNet does not fit in memory): {@code reader} fits them to
     * {@code augment}'s {@link ImageNetAugment#fittedSize}, then a random window (when {@code train}) or the centred one.
     */
    static SampleSource imageFolder(ImageFolderReader reader, ImageNetAugment augment, boolean train) {
        if (reader.height() != augment.fittedSize() || reader.width() != augment.fittedSize()) {
            throw new IllegalArgumentException("the reader fits images to " + reader.height() + "x" + reader.width()
                    + ", the crop needs " + augment.fittedSize() + "x" + augment.fittedSize());
        }
        return new SampleSource() {
            @Override
            public int size() { return reader.size(); }

            @Override
            public Sample sample(int index, SplittableRandom random) throws IOException {
                byte[] pixels = reader.load(index);
                return new Sample(train ? augment.train(pixels, 0, random) : augment.eval(pixels, 0),
                        reader.entries().get(index).label());
            }
        };
    }
}
