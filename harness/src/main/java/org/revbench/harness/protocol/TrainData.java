package org.revbench.harness.protocol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.revbench.core.data.SyntheticDataset;
import org.revbench.core.data.augment.Mixup;
import org.revbench.core.data.loader.Batch;
import org.revbench.core.data.loader.BatchLoader;
import org.revbench.core.data.loader.LoaderException;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.Network;
import org.revbench.core.train.CrossEntropy;
import org.revbench.harness.data.Subsets;
import org.revbench.harness.data.RealDatasets;

/**
 * What the train protocol (and {@code revbench train}) trains on: training batches epoch by epoch, from a real (or
 * stand-in) dataset ({@link RealDatasets}) or from synthetic data, and the top-1 test evaluation. {@link TrainingLoop}
 * runs the steps.
 *
 * <p>Every batch of epoch e is a function of (seed, e): a resumed run trains on what an uninterrupted one did.
 */
public abstract class TrainData implements AutoCloseable {

    /** One epoch's batches in order. */
    public interface Epoch extends AutoCloseable {
        /** Input, labels and soft targets (null without mixup) of the next batch, made in {@code manager}. */
        NDArray[] next(NDManager manager);

        @Override
        void close();
    }

    private final int batch;

    TrainData(int batch) {
        this.batch = batch;
    }

    /** The training batch size. */
    public final int batch() { return batch; }

    public abstract int batchesPerEpoch();

    public abstract Epoch epoch(int epoch);

    /** Top-1 on the test data: {correct, evaluated}. */
    public abstract long[] evaluate(Network net, NDManager manager);

    /** One batch of test inputs (for the firing-rate forward). */
    public abstract NDArray testInput(NDManager manager);

    public abstract String description();

    /** Training samples per epoch. */
    public abstract int trainSize();

    @Override
    public void close() {}

    /**
     * Batches of a prepared dataset: the training split shuffled by {@code seed} (the last partial batch dropped),
     * at most {@code trainLimit} and {@code evalLimit} samples of a fixed subset (null: all); {@code standIn} says
     * the dataset was made on this machine.
     */
    public static TrainData real(RealDatasets.Prepared p, int batch, Integer trainLimit, Integer evalLimit, long seed,
                                 boolean standIn, Mixup mixup) {
        return new RealData(p, batch, trainLimit, evalLimit, seed, standIn, mixup);
    }

    /** Synthetic batches of {@code data}'s classes: {@code trainSize} samples an epoch, {@code evalSize} tested. */
    public static TrainData synthetic(SyntheticDataset data, int batch, int trainSize, int evalSize, Mixup mixup) {
        return new SyntheticData(data, batch, trainSize, evalSize, mixup);
    }

    private static final class RealData extends TrainData {
        private final RealDatasets.Prepared p;
        private final Integer trainLimit;
        private final Integer evalLimit;
        private final BatchLoader train;
        private final boolean standIn;

        RealData(RealDatasets.Prepared p, int batch, Integer trainLimit, Integer evalLimit, long seed, boolean standIn,
                 Mixup mixup) {
            super(batch);
            this.p = p;
            this.trainLimit = trainLimit;
            this.evalLimit = evalLimit;
            this.standIn = standIn;
            this.train = BatchLoader.builder(Subsets.fixed(p.train(), trainLimit), p.layout(), p.sampleShape())
                    .batchSize(batch).shuffle(true).dropLast(true).seed(seed).mixup(mixup).build();
            if (train.batchesPerEpoch() == 0) {
                train.close();
                throw new ProtocolException("batch " + batch + " is larger than the " + trainSize()
                        + " training samples of " + p.name());
            }
            if (Subsets.fixed(p.test(), evalLimit).size() == 0) {
                // refused before training: the run would end in "test accuracy NaN% on 0 samples"
                train.close();
                throw new ProtocolException(p.name() + " at " + p.root() + " has no test samples ("
                        + p.train().size() + " training samples): there is nothing to measure test accuracy on");
            }
        }

        @Override
        public int batchesPerEpoch() { return train.batchesPerEpoch(); }

        @Override
        public int trainSize() { return Math.min(p.train().size(), trainLimit == null ? Integer.MAX_VALUE : trainLimit); }

        @Override
        public String description() {
            return p.name() + (standIn ? " (stand-in made at " + p.root() + ")" : " (" + p.root() + ")");
        }

        @Override
        public Epoch epoch(int epoch) {
            BatchLoader.Epoch e = train.epoch(epoch);
            return new Epoch() {
                @Override
                public NDArray[] next(NDManager manager) {
                    Batch b = e.next(manager);
                    return new NDArray[] {b.input(), b.labels(), b.targets()};
                }

                @Override
                public void close() { e.close(); }
            };
        }

        private BatchLoader test(int batchSize) {
            return BatchLoader.builder(Subsets.fixed(p.test(), evalLimit), p.layout(), p.sampleShape())
                    .batchSize(batchSize).shuffle(false).build();
        }

        @Override
        public long[] evaluate(Network net, NDManager manager) {
            long right = 0;
            long seen = 0;
            try (BatchLoader test = test(batch()); BatchLoader.Epoch e = test.epoch(0)) {
                while (e.hasNext()) {
                    try (NDManager sub = manager.newSubManager(); Batch b = e.next(sub); NDArray logits = net.predict(b.input())) {
                        right += CrossEntropy.correct(logits, b.labels());
                        seen += b.labels().getShape().get(0);
                    }
                }
            } catch (LoaderException ex) {
                throw new ProtocolException("reading the test split of " + p.name() + " failed: " + ex.getCause().getMessage(), ex);
            }
            return new long[] {right, seen};
        }

        @Override
        public NDArray testInput(NDManager manager) {
            try (BatchLoader test = test(Math.min(batch(), p.test().size())); BatchLoader.Epoch e = test.epoch(0)) {
                Batch b = e.next(manager);
                b.labels().close();
                return b.input();
            }
        }

        @Override
        public void close() { train.close(); }
    }

    private static final class SyntheticData extends TrainData {
        private final SyntheticDataset data;
        private final int trainSize;
        private final int evalSize;
        private final Mixup mixup;

        SyntheticData(SyntheticDataset data, int batch, int trainSize, int evalSize, Mixup mixup) {
            super(batch);
            this.data = data;
            this.trainSize = trainSize;
            this.evalSize = evalSize;
            this.mixup = mixup;
        }

        @Override
        public int batchesPerEpoch() { return Math.max(1, trainSize / batch()); }

        @Override
        public int trainSize() { return trainSize; }

        @Override
        public String description() { return "synthetic class patterns with noise"; }

        @Override
        public Epoch epoch(int epoch) {
            SyntheticDataset stream = data.stream(data.seed() * 31 + epoch); // a function of (seed, epoch): resumable
            SplittableRandom mixing = new SplittableRandom(~(data.seed() * 31 + epoch)); // likewise the mixup draws
            return new Epoch() {
                @Override
                public NDArray[] next(NDManager manager) {
                    SyntheticDataset.Batch b = stream.next(manager, batch(), DataType.FLOAT32);
                    if (mixup == null) {
                        return new NDArray[] {b.input(), b.labels(), null};
                    }
                    // as the batch loader mixes real data: on the host, time steps [T, B, ...] mixed alike
                    Shape shape = b.input().getShape();
                    float[] x = b.input().toFloatArray();
                    b.input().close();
                    int outer = data.spec().events() ? (int) shape.get(0) : 1;
                    int n = (int) shape.get(data.spec().events() ? 1 : 0);
                    Mixup.Result r = mixup.apply(x, outer, n, x.length / (outer * n), b.labels().toLongArray(), epoch, mixing);
                    return new NDArray[] {Tensors.fromFloats(manager, x, shape), b.labels(),
                            Tensors.fromFloats(manager, r.targets(), new Shape(n, mixup.classes()))};
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public NDArray testInput(NDManager manager) {
            SyntheticDataset.Batch b = data.stream(~data.seed()).next(manager, batch(), DataType.FLOAT32);
            b.labels().close();
            return b.input();
        }

        @Override
        public long[] evaluate(Network net, NDManager manager) {
            SyntheticDataset held = data.stream(~data.seed()); // held-out draws of the same classes
            long right = 0;
            long seen = 0;
            while (seen < evalSize) {
                try (NDManager sub = manager.newSubManager()) {
                    SyntheticDataset.Batch b = held.next(sub, batch(), DataType.FLOAT32);
                    try (NDArray logits = net.predict(b.input())) {
                        right += CrossEntropy.correct(logits, b.labels());
                        seen += batch();
                    }
                }
            }
            return new long[] {right, seen};
        }
    }
}
