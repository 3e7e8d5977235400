package org.revbench.harness.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * Who measures on this machine, and one timing at a time. Every grid task holds this lock while it measures: a timed
 * one (a JMH benchmark, the PyTorch cross-check: {@link org.revbench.harness.protocol.Protocol#timed()}) exclusively,
 * every other shared. So on a node that several workers (or a user's {@code revbench bench} beside a grid) share, a
 * benchmark waits until no other RevBench measurement runs, and nothing starts while it runs: it never times another
 * worker's load, and JMH's own lock ({@code /tmp/jmh.lock}, which failed the second of two benchmarks) is never
 * contended. Trainings run side by side under the shared lock; what else measured meanwhile is written into the
 * provenance of their numbers ({@link #others()}), training time included.
 *
 * <p>Between processes: POSIX record locks on {@code node.lock} in {@link #directory()}, with a second file that gives
 * a waiting exclusive lock precedence over new shared ones (without it, two workers that train one item after another
 * could keep a benchmark waiting for ever). Within this JVM: a read-write lock, since the file lock is held per
 * process. Each holder also writes a small file naming its task under {@code holders/}, which {@link #others()} reads;
 * a holder whose process is gone is ignored.
 */
public final class NodeLock implements AutoCloseable {

    /** Where the lock files live: one folder per machine (the temporary directory, as JMH's own lock), unless set. */
    public static final String DIRECTORY_ENV = "REVBENCH_LOCK_DIR";

    private static final ReentrantReadWriteLock IN_THIS_JVM = new ReentrantReadWriteLock(true);
    private static final Object FILE_STATE = new Object();
    private static final AtomicLong HOLDER_IDS = new AtomicLong();
    /** Guarded by FILE_STATE: this process's lock on node.lock, and how many of its threads hold it shared. */
    private static FileChannel mainChannel;
    private static FileLock mainLock;
    private static int sharedHolders;

    private final boolean exclusive;
    private final Path holderFile;
    private boolean closed;

    private NodeLock(boolean exclusive, Path holderFile) {
        this.exclusive = exclusive;
        this.holderFile = holderFile;
    }

    /** The folder of the lock files: {@value #DIRECTORY_ENV}, else the system's temporary directory. */
    public static Path directory() {
        String d = System.getenv(DIRECTORY_ENV);
        return d != null && !d.isBlank() ? Path.of(d) : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** The lock file. */
    public static Path file() {
        return directory().resolve("revbench-node.lock");
    }

    /**
     * Takes the lock exclusively for a timing, saying on {@code log} when it waits: no other RevBench measurement runs
     * on this machine until it is closed. A thread that holds it exclusively already takes it again at once.
     *
     * @throws IllegalStateException when this thread holds it shared (a shared lock cannot become exclusive: the task
     *         should have taken it exclusively from the start)
     */
    public static NodeLock exclusive(PrintWriter log, String what) {
        if (IN_THIS_JVM.getReadHoldCount() > 0 && !IN_THIS_JVM.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("a timing inside a shared measurement: the task measuring " + what
                    + " must take the node lock exclusively (Protocol.timed)");
        }
        if (IN_THIS_JVM.isWriteLockedByCurrentThread()) {
            IN_THIS_JVM.writeLock().lock();
            return new NodeLock(true, null);
        }
        if (!IN_THIS_JVM.writeLock().tryLock()) {
            log.println("    waiting for the other measurements of this process to end (a timing runs alone on a machine)");
            log.flush();
            IN_THIS_JVM.writeLock().lock();
        }
        try {
            FileChannel intent = open(directory().resolve("revbench-node.intent"));
            try (intent; FileLock ignored = lock(intent, false, log,
                    "waiting for another RevBench process that is taking the machine's lock")) {
                FileChannel ch = open(file());
                FileLock l = lock(ch, false, log, "waiting for the other RevBench measurements on this machine to end"
                        + " (" + file() + "; a timing runs alone)");
                synchronized (FILE_STATE) {
                    mainChannel = ch;
                    mainLock = l;
                }
            }
            return new NodeLock(true, register(what, true));
        } catch (IOException | RuntimeException e) {
            IN_THIS_JVM.writeLock().unlock();
            throw e instanceof IOException io ? new UncheckedIOException("cannot lock " + file() + ": " + io, io)
                    : (RuntimeException) e;
        }
    }

    /** Takes the lock shared for a measurement that is not a timing; waits while a timing runs, saying so. */
    public static NodeLock shared(PrintWriter log, String what) {
        if (IN_THIS_JVM.isWriteLockedByCurrentThread()) { // inside this thread's own timing: nothing more to take
            IN_THIS_JVM.readLock().lock();
            return new NodeLock(false, null);
        }
        if (!IN_THIS_JVM.readLock().tryLock()) {
            log.println("    waiting for a timing of this process to end");
            log.flush();
            IN_THIS_JVM.readLock().lock();
        }
        try {
            synchronized (FILE_STATE) {
                if (sharedHolders == 0) {
                    FileChannel intent = open(directory().resolve("revbench-node.intent"));
                    try (intent; FileLock ignored = lock(intent, true, log, "waiting for another process's timing")) {
                        FileChannel ch = open(file());
                        mainLock = lock(ch, true, log, "waiting for another process's timing to end (" + file() + ")");
                        mainChannel = ch;
                    }
                }
                sharedHolders++;
            }
            return new NodeLock(false, register(what, false));
        } catch (IOException | RuntimeException e) {
            IN_THIS_JVM.readLock().unlock();
            throw e instanceof IOException io ? new UncheckedIOException("cannot lock " + file() + ": " + io, io)
                    : (RuntimeException) e;
        }
    }

    private static FileChannel open(Path f) throws IOException {
        Files.createDirectories(f.getParent());
        return FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static FileLock lock(FileChannel ch, boolean shared, PrintWriter log, String waiting) throws IOException {
        FileLock l = ch.tryLock(0, Long.MAX_VALUE, shared);
        if (l == null) {
            log.println("    " + waiting);
            log.flush();
            l = ch.lock(0, Long.MAX_VALUE, shared);
        }
        return l;
    }

    /** Writes this holder's file (what it measures), so that other processes can say what ran beside them. */
    private static Path register(String what, boolean exclusive) {
        if (what == null) {
            return null;
        }
        try {
            Path dir = directory().resolve("revbench-node-holders");
            Files.createDirectories(dir);
            Path f = dir.resolve(ProcessHandle.current().pid() + "-" + HOLDER_IDS.incrementAndGet());
            Files.writeString(f, (exclusive ? "timing " : "") + what);
            return f;
        } catch (IOException e) {
            return null; // only the record of what ran beside is lost
        }
    }

    /**
     * What other holders of the lock measure now, on this machine (this process's other threads included), one line
     * each: {@code process PID: WHAT}. Holders whose process is gone are left out (and their files removed).
     */
    public static List<String> others(NodeLock self) {
        Path dir = directory().resolve("revbench-node-holders");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (self != null && f.equals(self.holderFile)) {
                    continue;
                }
                String name = f.getFileName().toString();
                long pid;
                try {
                    pid = Long.parseLong(name.substring(0, name.indexOf('-')));
                } catch (RuntimeException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        out.add("process " + pid + ": " + Files.readString(f).strip());
                    } catch (IOException e) {
                        // released meanwhile
                    }
                } else {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // unreadable: nothing to say
        }
        return out;
    }

    /** The one-minute load average of this machine, or NaN where {@code /proc/loadavg} is missing. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** What ran beside a measurement: the others seen, and the load average at its start and end. */
    public static String alongside(List<String> others, double loadAtStart, double loadAtEnd) {
        String load = Double.isNaN(loadAtStart) ? "" : String.format(Locale.ROOT, "; load average %.2f at the start,"
                + " %.2f at the end", loadAtStart, loadAtEnd);
        return (others.isEmpty() ? "no other RevBench measurement on this machine"
                : "also measuring on this machine: " + String.join("; ", others)) + load;
    }

    /** Whether this lock is held exclusively. */
    public boolean exclusive() { return exclusive; }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (holderFile != null) {
                Files.deleteIfExists(holderFile);
            }
        } catch (IOException e) {
            // a stale holder file is ignored once its process is gone
        }
        if (exclusive) {
            if (IN_THIS_JVM.getWriteHoldCount() == 1) {
                releaseFile();
            }
            IN_THIS_JVM.writeLock().unlock();
        } else {
            if (!IN_THIS_JVM.isWriteLockedByCurrentThread()) {
                synchronized (FILE_STATE) {
                    if (--sharedHolders == 0) {
                        releaseFile();
                    }
                }
            }
            IN_THIS_JVM.readLock().unlock();
        }
    }

    private static void releaseFile() {
        synchronized (FILE_STATE) {
            try {
                if (mainLock != null) {
                    mainLock.release();
                }
            } catch (IOException e) {
                // closing the channel releases it as well
            }
            try {
                if (mainChannel != null) {
                    mainChannel.close();
                }
            } catch (IOException e) {
                // nothing to do
            }
            mainLock = null;
            mainChannel = null;
        }
    }
}
