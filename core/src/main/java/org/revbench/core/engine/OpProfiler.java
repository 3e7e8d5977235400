package org.revbench.core.engine;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * libtorch's autograd profiler, as DJL exposes it: every libtorch operation that runs between {@link #start} and
 * {@link #stop} is recorded with its start, duration and thread (and, with {@code recordShapes}, its inputs'
 * shapes), and {@link #stop} writes them as a Chrome trace (JSON: an array of events, or an object with
 * {@code "traceEvents"}; each event has {@code name}, {@code ph "X"}, {@code ts} and {@code dur} in microseconds,
 * {@code tid}, and {@code shape}: one list of dimensions per input, {@code []} for a scalar or a non-tensor).
 *
 * <p>One profile at a time per process (libtorch refuses a second start). Closing a profile that was not stopped
 * stops it and discards its trace, so the profiler never stays on after an exception. The profiler roughly
 * doubles the time of small operations (docs/architecture.md, Profiling): compare profiles with profiles.
 */
public final class OpProfiler implements AutoCloseable {

    private boolean running;

    private OpProfiler() {
        running = true;
    }

    /** Starts recording every libtorch operation of this process (CUDA events too when the profiled run is on a GPU). */
    public static OpProfiler start(Device device, boolean recordShapes) {
        Engines.start();
        JniUtils.startProfile(device.isGpu(), recordShapes, false);
        return new OpProfiler();
    }

    /** Stops recording and writes the Chrome trace to {@code traceFile}; returns it. */
    public Path stop(Path traceFile) {
        if (!running) {
            throw new IllegalStateException("the profile was already stopped");
        }
        running = false;
        Path parent = traceFile.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + parent, e);
        }
        JniUtils.stopProfile(traceFile.toAbsolutePath().toString());
        return traceFile;
    }

    /** Stops a profile that is still running and discards its trace. */
    @Override
    public void close() {
        if (running) {
            try {
                Path tmp = Files.createTempFile("revbench-discarded-profile", ".json");
                stop(tmp);
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
