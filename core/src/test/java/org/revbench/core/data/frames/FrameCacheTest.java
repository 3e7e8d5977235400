package org.revbench.core.data.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.EventStream;

class FrameCacheTest {

    @TempDir
    Path dir;

    final AtomicInteger loads = new AtomicInteger();

    static EventStream events(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        EventStream.Builder b = new EventStream.Builder(32, 24);
        for (int i = 0; i < 5_000; i++) {
            b.add(i * 7L, r.nextInt(32), r.nextInt(24), r.nextInt(2));
        }
        return b.build();
    }

    FrameCache.Loader loader(long seed) {
        return () -> {
            loads.incrementAndGet();
            return events(seed);
        };
    }

    @Test
    void roundTripServesTheSameFramesWithoutLoadingAgain() throws IOException {
        FrameCache cache = new FrameCache(dir.resolve("cache"));
        SourceId src = new SourceId("/data/a.aedat", 1234, 99);
        FrameSpec spec = FrameSpec.of(8, SplitBy.NUMBER);
        Frames built = cache.get(src, spec, loader(1));
        Frames cached = cache.get(src, spec, loader(1));
        assertEquals(1, loads.get());
        assertEquals(1, cache.builds());
        assertEquals(1, cache.hits());
        assertArrayEquals(built.data(), cached.data());
        assertArrayEquals(EventFrames.integrate(events(1), spec).data(), cached.data());
        FrameCache.Entry e = FrameCache.read(cache.fileFor(src));
        assertEquals(spec, e.spec());
        assertEquals(src, e.source());
        try (Stream<Path> files = Files.list(cache.dir())) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void changedParametersRebuild() throws IOException {
        FrameCache cache = new FrameCache(dir);
        SourceId src = new SourceId("/data/a.aedat", 1234, 99);
        cache.get(src, FrameSpec.of(8, SplitBy.NUMBER), loader(1));
        Frames t10 = cache.get(src, FrameSpec.of(10, SplitBy.NUMBER), loader(1));
        Frames time = cache.get(src, FrameSpec.of(10, SplitBy.TIME), loader(1));
        Frames small = cache.get(src, FrameSpec.of(10, SplitBy.TIME, 12, 16), loader(1));
        assertEquals(4, cache.builds());
        assertEquals(0, cache.hits());
        assertEquals(10, t10.frames());
        assertArrayEquals(EventFrames.integrate(events(1), FrameSpec.of(10, SplitBy.TIME)).data(), time.data());
        assertArrayEquals(new long[] {10, 2, 12, 16}, small.shape());
        assertEquals(FrameSpec.of(10, SplitBy.TIME, 12, 16), FrameCache.read(cache.fileFor(src)).spec());
        cache.get(src, FrameSpec.of(10, SplitBy.TIME, 12, 16), loader(1));
        assertEquals(1, cache.hits());
    }

    @Test
    void changedSourceFileRebuilds() throws IOException {
        FrameCache cache = new FrameCache(dir.resolve("c"));
        Path file = dir.resolve("rec.bin");
        Files.write(file, new byte[] {1, 2, 3});
        FrameSpec spec = FrameSpec.of(4, SplitBy.NUMBER);
        cache.get(SourceId.ofFile(file), spec, loader(1));
        cache.get(SourceId.ofFile(file), spec, loader(1));
        assertEquals(1, loads.get());
        // the recording is replaced: other size and time, other events
        Files.write(file, new byte[] {1, 2, 3, 4});
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5_000));
        Frames f = cache.get(SourceId.ofFile(file), spec, loader(2));
        assertEquals(2, loads.get());
        assertArrayEquals(EventFrames.integrate(events(2), spec).data(), f.data());
        // only touched: same size, new time
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5_000));
        cache.get(SourceId.ofFile(file), spec, loader(2));
        assertEquals(3, loads.get());
        assertTrue(SourceId.ofFile(file, "gesture 3").key().endsWith("rec.bin#gesture 3"));
    }

    @Test
    void corruptOrTruncatedFilesAreDetectedAndRebuilt() throws IOException {
        FrameCache cache = new FrameCache(dir);
        SourceId src = new SourceId("/data/b.aedat", 10, 20);
        FrameSpec spec = FrameSpec.of(6, SplitBy.NUMBER);
        Frames good = cache.get(src, spec, loader(3));
        Path file = cache.fileFor(src);
        byte[] original = Files.readAllBytes(file);

        // one flipped bit in the compressed counts
        byte[] flipped = original.clone();
        flipped[original.length - 40] ^= 0x10;
        Files.write(file, flipped);
        FrameCacheFormatException bad = assertThrows(FrameCacheFormatException.class, () -> FrameCache.read(file));
        assertEquals(file, bad.file());
        Frames again = cache.get(src, spec, loader(3));
        assertArrayEquals(good.data(), again.data());
        assertEquals(2, cache.builds());
        assertArrayEquals(original, Files.readAllBytes(file), "the rebuilt file is intact again");

        // truncated at several places, down to nothing
        for (int keep : new int[] {original.length - 1, original.length / 2, 20, 9, 0}) {
            Files.write(file, java.util.Arrays.copyOf(original, keep));
            assertThrows(FrameCacheFormatException.class, () -> FrameCache.read(file), "kept " + keep);
            assertArrayEquals(good.data(), cache.get(src, spec, loader(3)).data());
        }
        // trailing garbage
        Files.write(file, java.util.Arrays.copyOf(original, original.length + 3));
        assertThrows(FrameCacheFormatException.class, () -> FrameCache.read(file));
        assertArrayEquals(good.data(), cache.get(src, spec, loader(3)).data());
        assertEquals(8, cache.builds());
        assertEquals(0, cache.hits());
    }

    @Test
    void otherFormatVersionIsRejected() throws IOException {
        FrameCache cache = new FrameCache(dir);
        SourceId src = new SourceId("k", 1, 2);
        cache.get(src, FrameSpec.of(2, SplitBy.NUMBER), loader(1));
        Path file = cache.fileFor(src);
        byte[] b = Files.readAllBytes(file);
        ByteBuffer.wrap(b).putInt(FrameCache.MAGIC.length, FrameCache.VERSION + 1);
        Files.write(file, b);
        FrameCacheFormatException e = assertThrows(FrameCacheFormatException.class, () -> FrameCache.read(file));
        assertTrue(e.problem().contains("format version"), e.getMessage());
        b[0] = 'X';
        Files.write(file, b);
        assertThrows(FrameCacheFormatException.class, () -> FrameCache.read(file));
        cache.get(src, FrameSpec.of(2, SplitBy.NUMBER), loader(1));
        assertEquals(2, cache.builds());
    }

    @Test
    void onlyCountsAreStored() {
        float[] data = new float[2 * 2 * 2];
        data[3] = 0.5f;
        Frames f = new Frames(data, 1, 2, 2);
        assertThrows(IllegalArgumentException.class,
                () -> FrameCache.encode(new SourceId("k", 1, 1), FrameSpec.of(1, SplitBy.NUMBER), f));
    }
}
