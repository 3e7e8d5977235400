package org.revbench.harness.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One timed benchmark at a time on this machine. Concurrent grid runs split their work (claims in the results
 * store), and two benchmarks timed at once would each time the other's load; JMH itself refuses a second run while
 * one holds its own lock ({@code /tmp/jmh.lock}), which failed the second run's row. So every RevBench benchmark
 * first takes this lock, waiting for the other run's benchmark to end: a file lock between processes, and a lock
 * within this JVM (a file lock is held per process).
 */
public final class BenchmarkLock implements AutoCloseable {

    private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

    private final FileChannel channel;
    private final FileLock lock;

    private BenchmarkLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file: one per machine, in the system's temporary directory as JMH's own. */
    public static Path file() {
        return Path.of(System.getProperty("java.io.tmpdir"), "revbench-benchmark.lock");
    }

    /** Takes the lock, saying on {@code log} when it has to wait for another benchmark first. */
    public static BenchmarkLock acquire(PrintWriter log) {
        if (!IN_THIS_JVM.tryLock()) {
            log.println("    waiting for another benchmark of this process to end (one timed benchmark at a time)");
            log.flush();
            IN_THIS_JVM.lock();
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                log.println("    waiting for another run's benchmark to end (" + file() + "; one timed benchmark at a time)");
                log.flush();
                l = ch.lock();
            }
            return new BenchmarkLock(ch, l);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            IN_THIS_JVM.unlock();
            throw e instanceof IOException io ? new UncheckedIOException("cannot lock " + file() + ": " + io, io)
                    : (RuntimeException) e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it as well
        } finally {
            closeQuietly(channel);
            IN_THIS_JVM.unlock();
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
