package org.revbench.core.data.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.revbench.core.data.augment.Mixup;

class BatchLoaderTest {

    /**
     * Samples of {@code shape} whose values encode the index: value j of sample i is {@code i * 1000 + j}; the
     * label is {@code i % 10}. Records each index's first random number, and counts calls.
     */
    static final class Numbered implements SampleSource {
        final int size;
        final int[] shape;
        final AtomicInteger calls = new AtomicInteger();
        final Map<Integer, Long> firstRandom = new ConcurrentHashMap<>();
        volatile int failAt = -1;
        volatile Thread seenThread;

        Numbered(int size, int... shape) {
            this.size = size;
            this.shape = shape;
        }

        @Override
        public int size() { return size; }

        @Override
        public Sample sample(int index, SplittableRandom random) throws IOException {
            calls.incrementAndGet();
            seenThread = Thread.currentThread();
            if (index == failAt) {
                throw new IOException("unreadable sample " + index);
            }
            firstRandom.put(index, random.nextLong());
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] x = new float[n];
            for (int j = 0; j < n; j++) {
                x[j] = index * 1000 + j;
            }
            return new Sample(x, index % 10);
        }
    }

    static List<HostBatch> all(BatchLoader loader, int epoch) {
        List<HostBatch> out = new ArrayList<>();
        try (BatchLoader.Epoch e = loader.epoch(epoch)) {
            while (e.hasNext()) {
                out.add(e.nextHost());
            }
        }
        return out;
    }

    static int[] order(List<HostBatch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
    }

    @Test
    void orderIsDeterministicPerSeedAndEpochAndCoversEverySample() {
        Numbered src = new Numbered(23, 1, 2, 2);
        try (BatchLoader a = BatchLoader.builder(src, BatchLoader.Layout.IMAGES, 1, 2, 2).batchSize(5)
                     .shuffle(true).seed(7).build();
             BatchLoader b = BatchLoader.builder(src, BatchLoader.Layout.IMAGES, 1, 2, 2).batchSize(5)
                     .shuffle(true).seed(7).build();
             BatchLoader c = BatchLoader.builder(src, BatchLoader.Layout.IMAGES, 1, 2, 2).batchSize(5)
                     .shuffle(true).seed(8).build()) {
            int[] e0 = order(all(a, 0));
            assertArrayEquals(e0, order(all(b, 0)), "same seed and epoch");
            assertArrayEquals(e0, order(all(a, 0)), "the same epoch again");
            int[] e1 = order(all(a, 1));
            assertFalse(Arrays.equals(e0, e1), "another epoch, another order");
            assertFalse(Arrays.equals(e0, order(all(c, 0))), "another seed, another order");
            for (int[] o : new int[][] {e0, e1}) {
                int[] sorted = o.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < 23; i++) {
                    assertEquals(i, sorted[i], "every sample once per epoch");
                }
            }
            assertEquals(5, a.batchesPerEpoch());
            List<HostBatch> batches = all(a, 0);
            assertEquals(5, batches.size());
            assertEquals(3, batches.get(4).size(), "the last batch keeps the remainder");
            assertArrayEquals(a.order(0), e0);
        }
    }

    @Test
    void dropLastAndUnshuffledOrder() {
        Numbered src = new Numbered(23, 3);
        try (BatchLoader loader = BatchLoader.builder(src, BatchLoader.Layout.IMAGES, 3).batchSize(5).dropLast(true)
                .build()) {
            List<HostBatch> batches = all(loader, 0);
            assertEquals(4, batches.size());
            assertEquals(4, loader.batchesPerEpoch());
            int[] o = order(batches);
            for (int i = 0; i < 20; i++) {
                assertEquals(i, o[i]);
            }
            HostBatch b = batches.get(1);
            assertArrayEquals(new long[] {5, 3}, b.shape());
            assertArrayEquals(new long[] {5, 6, 7, 8, 9}, b.labels());
            assertEquals(5002f, b.data()[2]);
            assertEquals(6000f, b.data()[3]);
            assertNull(b.targets());
            assertEquals(1, b.number());
        }
    }

    @Test
    void framesAreStackedTimeFirst() {
        int t = 3;
        Numbered src = new Numbered(4, t, 2, 1, 2); // [T, C, H, W] with C*H*W = 4
        try (BatchLoader loader = BatchLoader.builder(src, BatchLoader.Layout.FRAMES, t, 2, 1, 2).batchSize(4)
                .build()) {
            HostBatch b = all(loader, 0).get(0);
            assertArrayEquals(new long[] {3, 4, 2, 1, 2}, b.shape());
            int inner = 4;
            for (int step = 0; step < t; step++) {
                for (int s = 0; s < 4; s++) {
                    for (int k = 0; k < inner; k++) {
                        assertEquals(s * 1000 + step * inner + k, b.data()[(step * 4 + s) * inner + k]);
                    }
                }
            }
        }
    }

    @Test
    void augmentationRandomnessDependsOnSeedEpochAndIndexOnly() {
        Numbered small = new Numbered(30, 2);
        Numbered large = new Numbered(30, 2);
        try (BatchLoader a = BatchLoader.builder(small, BatchLoader.Layout.IMAGES, 2).batchSize(3).shuffle(true)
                     .seed(1).prefetch(1).build();
             BatchLoader b = BatchLoader.builder(large, BatchLoader.Layout.IMAGES, 2).batchSize(7).shuffle(true)
                     .seed(1).prefetch(4).build()) {
            all(a, 2);
            all(b, 2);
            assertEquals(30, small.firstRandom.size());
            assertEquals(small.firstRandom, large.firstRandom, "batch size and prefetch do not matter");
            Map<Integer, Long> epoch2 = Map.copyOf(small.firstRandom);
            all(a, 3);
            assertFalse(epoch2.equals(small.firstRandom), "another epoch, other augmentations");
        }
    }

    @Test
    void mixupGivesSoftTargetsRepeatably() {
        Mixup mixup = new Mixup(0.5, 1.0, 0.1, 10, Integer.MAX_VALUE);
        Numbered src = new Numbered(16, 2, 1, 1, 1);
        try (BatchLoader a = BatchLoader.builder(src, BatchLoader.Layout.FRAMES, 2, 1, 1, 1).batchSize(4).seed(3)
                     .mixup(mixup).build();
             BatchLoader b = BatchLoader.builder(src, BatchLoader.Layout.FRAMES, 2, 1, 1, 1).batchSize(4).seed(3)
                     .mixup(mixup).build()) {
            List<HostBatch> x = all(a, 0);
            List<HostBatch> y = all(b, 0);
            for (int i = 0; i < x.size(); i++) {
                assertArrayEquals(x.get(i).data(), y.get(i).data());
                assertArrayEquals(x.get(i).targets(), y.get(i).targets());
                float[] t = x.get(i).targets();
                assertEquals(4 * 10, t.length);
                for (int r = 0; r < 4; r++) {
                    double s = 0;
                    for (int k = 0; k < 10; k++) {
                        s += t[r * 10 + k];
                    }
                    assertEquals(1, s, 1e-5);
                }
            }
            // the first batch's sample 0 is mixed with sample 3 at every time step
            HostBatch first = x.get(0);
            double lam = (first.data()[0] - 3000) / (0 - 3000.0);
            assertTrue(lam > 0 && lam < 1, "lambda " + lam);
            assertEquals(lam * 1 + (1 - lam) * 3001, first.data()[4], 1e-2); // step 1, sample 0
        }
    }

    @Test
    void prefetchIsBounded() throws InterruptedException {
        Numbered src = new Numbered(1000, 4);
        int batch = 8;
        int prefetch = 2;
        try (BatchLoader loader = BatchLoader.builder(src, BatchLoader.Layout.IMAGES, 4).batchSize(batch)
                .prefetch(prefetch).build()) {
            BatchLoader.Epoch e = loader.epoch(0);
            waitFor(src.calls, prefetch * batch);
            waitUntilStable(src.calls);
            int limit = (prefetch + 1) * batch; // the queue, plus the batch waiting to enter it
            assertTrue(src.calls.get() <= limit, src.calls.get() + " samples loaded ahead, limit " + limit);
            assertTrue(src.calls.get() >= prefetch * batch, "it does prefetch: " + src.calls.get());
            e.nextHost();
            waitUntilStable(src.calls);
            assertTrue(src.calls.get() <= limit + batch, "one taken, one more built: " + src.calls.get());
            assertTrue(src.seenThread.getName().equals(loader.threadName()), "samples load on the loader thread");
            e.close();
        }
    }

    @Test
    void producerFailuresReachTheConsumerWithTheirCause() {
        Numbered src = new Numbered(20, 2);
        src.failAt = 12;
        try (BatchLoader loader = BatchLoader.builder(src, BatchLoader.Layout.IMAGES, 2).batchSize(5).build()) {
            BatchLoader.Epoch e = loader.epoch(0);
            assertEquals(0, e.nextHost().number());
            assertEquals(1, e.nextHost().number());
            LoaderException ex = assertThrows(LoaderException.class, e::nextHost);
            assertInstanceOf(IOException.class, ex.getCause());
            assertEquals("unreadable sample 12", ex.getCause().getMessage());
            assertTrue(ex.getMessage().contains("batch 2"), ex.getMessage());
            assertFalse(e.hasNext(), "the epoch ends after a failure");
            // a wrong sample size is a failure too
            Numbered wrong = new Numbered(4, 3);
            try (BatchLoader l2 = BatchLoader.builder(wrong, BatchLoader.Layout.IMAGES, 2).batchSize(2).build()) {
                LoaderException w = assertThrows(LoaderException.class, () -> l2.epoch(0).nextHost());
                assertInstanceOf(IllegalStateException.class, w.getCause());
            }
        }
    }

    @Test
    void closeStopsTheThreadEvenWhileItWaitsOnAFullQueue() throws InterruptedException {
        Numbered src = new Numbered(1000, 4);
        BatchLoader loader = BatchLoader.builder(src, BatchLoader.Layout.IMAGES, 4).batchSize(4).prefetch(1)
                .build();
        BatchLoader.Epoch e = loader.epoch(0);
        e.nextHost();
        waitUntilStable(src.calls);
        assertTrue(threadAlive(loader.threadName()));
        loader.close();
        assertFalse(threadAlive(loader.threadName()), "closed loader's thread is gone");
        assertFalse(e.hasNext());
        assertThrows(IllegalStateException.class, () -> loader.epoch(1));
        loader.close(); // idempotent
    }

    @Test
    void startingAnEpochStopsTheOneBefore() {
        Numbered src = new Numbered(100, 1);
        try (BatchLoader loader = BatchLoader.builder(src, BatchLoader.Layout.IMAGES, 1).batchSize(10).build()) {
            BatchLoader.Epoch first = loader.epoch(0);
            first.nextHost();
            BatchLoader.Epoch second = loader.epoch(1);
            assertFalse(first.hasNext());
            int n = 0;
            while (second.hasNext()) {
                assertEquals(1, second.nextHost().epoch());
                n++;
            }
            assertEquals(10, n);
        }
    }

    static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    /** Waits (up to 10 s) until {@code counter} reaches {@code at least}. */
    static void waitFor(AtomicInteger counter, int atLeast) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (counter.get() < atLeast && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    /** Waits until {@code counter} has not changed for 150 ms (the producer is blocked). */
    static void waitUntilStable(AtomicInteger counter) throws InterruptedException {
        int last = -1;
        while (counter.get() != last) {
            last = counter.get();
            Thread.sleep(150);
        }
    }
}
