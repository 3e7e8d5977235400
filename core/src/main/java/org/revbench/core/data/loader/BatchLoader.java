package org.revbench.core.data.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.revbench.core.data.augment.Mixup;
import org.revbench.core.engine.Tensors;

/**
 * Batches from a {@link SampleSource}: images {@code [B, C, H, W]} or frames {@code [T, B, C, H, W]} (time first,
 * as the models consume them), with int64 labels and, with {@link Mixup}, soft targets.
 *
 * <p>Repeatable: epoch e visits the samples in an order shuffled by a generator seeded with (seed, e); sample i is
 * augmented with a generator seeded with (seed, e, i), and batch k's mixup with (seed, e, k). So the batches depend
 * only on the seed and the options, not on thread timing, and a sample's augmentation not even on the batch size.
 *
 * <p>One background thread (per loader, daemon) builds the batches as Java arrays ahead of the consumer, into a
 * queue of {@code prefetch} batches: at most {@code prefetch + 1} batches exist beyond the one being used, so
 * memory stays bounded. Tensors are made only on the consumer's thread ({@link Epoch#next(NDManager)}): DJL worker
 * threads record gradients by default, so the loader thread never touches DJL. A failure on the loader thread is
 * rethrown by the consumer's next call as a {@link LoaderException} with the original as its cause. Starting an
 * epoch stops one still running; {@link #close} stops the thread and returns once it has exited.
 */
public final class BatchLoader implements AutoCloseable {

    /** How samples are stacked. */
    public enum Layout {
        /** Samples {@code [C, H, W]} into {@code [B, C, H, W]}. */
        IMAGES,
        /** Samples {@code [T, C, H, W]} into {@code [T, B, C, H, W]}. */
        FRAMES
    }

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long SHUFFLE = 1;
    private static final long SAMPLE = 2;
    private static final long MIXUP = 3;
    /** How often a waiting consumer checks that the producer is still alive. */
    private static final long POLL_MILLIS = 100;
    /** How long {@link #close} waits for the loader's thread to exit. */
    private static final long STOP_MILLIS = 10_000;

    private final SampleSource source;
    private final Layout layout;
    private final int[] sampleShape;
    private final int sampleSize;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;
    private final Mixup mixup;
    private final String threadName;
    private final ExecutorService thread;
    /** The executor's threads (one; a list in case it ever replaces one), which {@link #close} joins. */
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private Epoch current;
    private boolean closed;

    private BatchLoader(Builder b) {
        this.source = b.source;
        this.layout = b.layout;
        this.sampleShape = b.sampleShape.clone();
        long size = 1;
        for (int d : sampleShape) {
            if (d < 1) {
                throw new IllegalArgumentException("sample shape " + java.util.Arrays.toString(sampleShape));
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE || (layout == Layout.IMAGES ? sampleShape.length < 1 : sampleShape.length < 2)) {
            throw new IllegalArgumentException("sample shape " + java.util.Arrays.toString(sampleShape) + " for "
                    + layout);
        }
        this.sampleSize = (int) size;
        if (b.batchSize < 1 || b.prefetch < 1) {
            throw new IllegalArgumentException("batch size " + b.batchSize + ", prefetch " + b.prefetch);
        }
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.prefetch = b.prefetch;
        this.mixup = b.mixup;
        this.threadName = "revbench-batch-loader-" + THREADS.incrementAndGet();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            workers.add(t);
            return t;
        });
    }

    /** A loader of {@code source}'s samples of shape {@code sampleShape} ({@code C,H,W} or {@code T,C,H,W}). */
    public static Builder builder(SampleSource source, Layout layout, int... sampleShape) {
        return new Builder(source, layout, sampleShape);
    }

    /** Options; defaults: batch 32, no shuffle, keep the last partial batch, seed 0, prefetch 2, no mixup. */
    public static final class Builder {
        private final SampleSource source;
        private final Layout layout;
        private final int[] sampleShape;
        private int batchSize = 32;
        private boolean shuffle;
        private boolean dropLast;
        private long seed;
        private int prefetch = 2;
        private Mixup mixup;

        private Builder(SampleSource source, Layout layout, int[] sampleShape) {
            this.source = source;
            this.layout = layout;
            this.sampleShape = sampleShape;
        }

        public Builder batchSize(int b) { batchSize = b; return this; }

        public Builder shuffle(boolean s) { shuffle = s; return this; }

        public Builder dropLast(boolean d) { dropLast = d; return this; }

        public Builder seed(long s) { seed = s; return this; }

        /** Batches built ahead of the consumer (the queue's capacity). */
        public Builder prefetch(int p) { prefetch = p; return this; }

        /** Mixup applied to every batch (null: none, and no soft targets). */
        public Builder mixup(Mixup m) { mixup = m; return this; }

        public BatchLoader build() { return new BatchLoader(this); }
    }

    /** Name of the loader's thread (for diagnostics). */
    public String threadName() { return threadName; }

    /** Batches per epoch. */
    public int batchesPerEpoch() {
        int n = source.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits the samples. */
    public int[] order(int epoch) {
        int n = source.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seedFor(seed, SHUFFLE, epoch, 0));
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Starts producing epoch {@code epoch} (stopping any epoch still running). */
    public synchronized Epoch epoch(int epoch) {
        if (closed) {
            throw new IllegalStateException("batch loader is closed");
        }
        if (current != null) {
            current.close();
        }
        current = new Epoch(epoch);
        return current;
    }

    /**
     * Stops the loader's thread and waits (up to 10 s, for the current sample to finish) until it has exited: when
     * this returns, the thread is gone. The executor's {@code awaitTermination} is not enough for that: it returns
     * once the last task has finished, while the thread that ran it may still be exiting.
     *
     * @throws IllegalStateException if the thread is still alive after 10 s (a sample source that ignores
     *     interrupts), or the caller was interrupted while waiting for it (the interrupt flag is kept)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            current.close();
        }
        thread.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_MILLIS);
        boolean interrupted = false;
        for (Thread t : workers) {
            long left = deadline - System.nanoTime();
            if (interrupted || left <= 0) {
                break;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Thread t : workers) {
            if (t.isAlive()) {
                StringBuilder where = new StringBuilder();
                for (StackTraceElement f : t.getStackTrace()) {
                    where.append("\n\tat ").append(f);
                }
                throw new IllegalStateException("batch loader thread " + threadName + " did not exit "
                        + (interrupted ? "before close was interrupted" : "within " + STOP_MILLIS + " ms of close")
                        + "; it is at:" + where);
            }
        }
    }

    /** One epoch's batches, in order. Use from one consumer thread. */
    public final class Epoch implements AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int batches;
        private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(prefetch);
        private final Future<?> producer;
        private volatile boolean stopped;
        private Item pending;
        private boolean finished;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.batches = batchesPerEpoch();
            this.producer = thread.submit(this::produce);
        }

        public int number() { return epoch; }

        /** Batches in this epoch. */
        public int batches() { return batches; }

        /** Whether another batch follows (waits for it to be built). */
        public boolean hasNext() {
            if (finished) {
                return false;
            }
            if (pending == null) {
                pending = take();
            }
            if (pending.error != null) {
                finished = true;
                Throwable e = pending.error;
                throw new LoaderException("batch loader failed in epoch " + epoch + ", batch " + pending.number
                        + ": " + e, e);
            }
            if (pending.batch == null) {
                finished = true;
                return false;
            }
            return true;
        }

        /** The next batch as Java arrays. */
        public HostBatch nextHost() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has no more batches");
            }
            HostBatch b = pending.batch;
            pending = null;
            return b;
        }

        /** The next batch as tensors of {@code manager}, made on this (the consumer's) thread. */
        public Batch next(NDManager manager) {
            HostBatch h = nextHost();
            NDArray input = Tensors.fromFloats(manager, h.data(), new Shape(h.shape()));
            NDArray labels = null;
            try {
                labels = Tensors.fromLongs(manager, h.labels(), new Shape(h.size()));
                NDArray targets = h.targets() == null ? null : Tensors.fromFloats(manager, h.targets(),
                        new Shape(h.size(), h.targets().length / h.size()));
                return new Batch(input, labels, targets, h);
            } catch (RuntimeException e) {
                input.close();
                if (labels != null) {
                    labels.close();
                }
                throw e;
            }
        }

        /** Stops producing; batches not yet taken are dropped. */
        @Override
        public void close() {
            stopped = true;
            producer.cancel(true);
            queue.clear();
            finished = true;
            pending = null;
        }

        private Item take() {
            try {
                while (true) {
                    Item item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (item != null) {
                        return item;
                    }
                    if (stopped || (producer.isDone() && queue.isEmpty())) {
                        finished = true;
                        throw new LoaderException("batch loader of epoch " + epoch + " stopped (closed?)", null);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoaderException("interrupted while waiting for a batch", e);
            }
        }

        /** The loader thread's work: every batch, then an end marker, or the failure. */
        private void produce() {
            int k = 0;
            try {
                for (; k < batches && !stopped; k++) {
                    queue.put(new Item(build(k), null, k));
                }
                if (!stopped) {
                    queue.put(new Item(null, null, k));
                }
            } catch (InterruptedException e) {
                // closed: stop quietly
            } catch (Throwable t) {
                try {
                    queue.put(new Item(null, t, k));
                } catch (InterruptedException e) {
                    // closed while reporting: nobody is waiting
                }
            }
        }

        private HostBatch build(int k) throws Exception {
            int from = k * batchSize;
            int b = Math.min(batchSize, order.length - from);
            int[] indices = java.util.Arrays.copyOfRange(order, from, from + b);
            float[] data = new float[b * sampleSize];
            long[] labels = new long[b];
            int outer = layout == Layout.FRAMES ? sampleShape[0] : 1;
            int inner = sampleSize / outer;
            for (int j = 0; j < b; j++) {
                int index = indices[j];
                Sample s = source.sample(index, new SplittableRandom(seedFor(seed, SAMPLE, epoch, index)));
                if (s.data().length != sampleSize) {
                    throw new IllegalStateException("sample " + index + " has " + s.data().length + " values, "
                            + "expected " + java.util.Arrays.toString(sampleShape));
                }
                for (int o = 0; o < outer; o++) { // FRAMES: time step o of sample j goes to [o, j]
                    System.arraycopy(s.data(), o * inner, data, (o * b + j) * inner, inner);
                }
                labels[j] = s.label();
            }
            float[] targets = null;
            if (mixup != null) {
                SplittableRandom r = new SplittableRandom(seedFor(seed, MIXUP, epoch, k));
                targets = mixup.apply(data, outer, b, inner, labels, epoch, r).targets();
            }
            return new HostBatch(data, batchShape(b), labels, targets, indices, epoch, k);
        }
    }

    private long[] batchShape(int b) {
        long[] shape = new long[sampleShape.length + 1];
        if (layout == Layout.IMAGES) {
            shape[0] = b;
            for (int i = 0; i < sampleShape.length; i++) {
                shape[i + 1] = sampleShape[i];
            }
        } else {
            shape[0] = sampleShape[0];
            shape[1] = b;
            for (int i = 1; i < sampleShape.length; i++) {
                shape[i + 1] = sampleShape[i];
            }
        }
        return shape;
    }

    /** A batch, the end of the epoch (no batch, no error), or the producer's failure. */
    private record Item(HostBatch batch, Throwable error, int number) {}

    /** A well-mixed seed from (seed, stream, epoch, index): SplitMix64's finaliser applied per component. */
    static long seedFor(long seed, long stream, long epoch, long index) {
        long h = mix(seed);
        h = mix(h ^ stream);
        h = mix(h ^ epoch);
        return mix(h ^ index);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
