package org.revbench.core.data.event;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sequential reader over a file through one reusable heap window. Parsers run plain index loops over
 * {@link #buf} (manual shifts, no per-event stream calls), and memory stays at one window whatever the file size,
 * so a 2 GiB recording parses as fast as a small one. The file size is taken once at open: declared packet sizes
 * are checked against it before anything is allocated.
 */
final class ChunkedInput implements Closeable {
    static final int MAX_WINDOW = 1 << 20;

    final Path file;
    private final FileChannel channel;
    private final long size;
    /** The window; bytes {@code [pos, lim)} are the file's bytes from {@link #offset()} on. */
    final byte[] buf;
    int pos;
    int lim;
    /** File offset of {@code buf[0]}; the channel's position is always {@code bufStart + lim}. */
    private long bufStart;

    private ChunkedInput(Path file, FileChannel channel, long size, int window) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.buf = new byte[window];
    }

    static ChunkedInput open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            int window = (int) Math.max(4096, Math.min(size, MAX_WINDOW));
            return new ChunkedInput(file, ch, size, window);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    long size() { return size; }

    /** File offset of the next unread byte. */
    long offset() { return bufStart + pos; }

    /** File offset of window index {@code i}. */
    long offsetOf(int i) { return bufStart + i; }

    long remaining() { return size - offset(); }

    int available() { return lim - pos; }

    /**
     * Makes at least {@code min(n, remaining())} bytes available ({@code n <= buf.length}), reading as much as the
     * window holds; returns {@link #available()}.
     */
    int fill(int n) throws IOException {
        if (lim - pos >= n) {
            return lim - pos;
        }
        if (n > buf.length) {
            throw new IllegalArgumentException("fill(" + n + ") beyond the window of " + buf.length);
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim < n) {
            long fileLeft = size - (bufStart + lim);
            if (fileLeft <= 0) {
                break;
            }
            int want = (int) Math.min(buf.length - lim, fileLeft);
            int r = channel.read(ByteBuffer.wrap(buf, lim, want));
            if (r < 0) {
                throw new IOException(file + ": file shrank while being read (expected " + size + " bytes)");
            }
            lim += r;
        }
        return lim - pos;
    }

    /** Skips {@code n <= remaining()} bytes without reading them. */
    void skip(long n) throws IOException {
        if (n <= lim - pos) {
            pos += (int) n;
            return;
        }
        long target = offset() + n;
        bufStart = target;
        pos = 0;
        lim = 0;
        channel.position(target);
    }

    /**
     * Length of the line at the current position, its {@code '\n'} included; -1 when the file ends before a
     * {@code '\n'}, -2 when none comes within {@code max} bytes (capped at the window).
     */
    int lineLength(int max) throws IOException {
        max = Math.min(max, buf.length);
        int searched = 0;
        while (true) {
            int end = Math.min(lim, pos + max);
            for (int i = pos + searched; i < end; i++) {
                if (buf[i] == '\n') {
                    return i - pos + 1;
                }
            }
            searched = end - pos;
            if (searched >= max) {
                return -2;
            }
            if (fill(searched + 1) <= searched) {
                return -1;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
