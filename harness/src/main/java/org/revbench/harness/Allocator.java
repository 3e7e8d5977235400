package org.revbench.harness;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory allocator ({@code malloc}) this process runs with, e.g. {@code tcmalloc (libtcmalloc_minimal.so.4)} or
 * {@code glibc 2.36}. Allocation behaviour changes timings: glibc's per-thread arenas give back and re-create their
 * heaps, so every large tensor lands on freshly faulted pages, and preloading tcmalloc halves some model timings on
 * the same machine and commit. It does not change the memory probe's counts, which count requested bytes.
 *
 * <p>Told from {@code /proc/self/maps}: the library whose mapping holds the address of the process's global
 * {@code malloc} symbol (what {@code LD_PRELOAD} interposes), or, where that address cannot be had, any mapped
 * tcmalloc or jemalloc. Nothing here fails: what cannot be told is {@value Provenance#UNKNOWN}.
 */
public final class Allocator {

    private static volatile String detected;

    private Allocator() {}

    /** This process's allocator (told once: it does not change while the process runs). */
    public static String detect() {
        String a = detected;
        if (a == null) {
            a = read();
            detected = a;
        }
        return a;
    }

    private static String read() {
        String maps;
        try {
            maps = Files.readString(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return Provenance.UNKNOWN; // not Linux
        }
        return of(maps, mallocAddress(), glibcVersion());
    }

    /**
     * The allocator described by a maps text ({@code /proc/<pid>/maps}).
     *
     * @param maps          the maps text: lines {@code start-end perms offset dev inode [path]}
     * @param mallocAddress where the process's {@code malloc} is, or null when not known: then any mapped tcmalloc
     *                      or jemalloc is taken to be in use
     * @param glibcVersion  {@code gnu_get_libc_version()}, or null when not known
     * @return {@code tcmalloc (<file>)}, {@code jemalloc (<file>)}, {@code glibc <version>} (or {@code glibc}),
     *         {@code other (<file>)} for another library's malloc, or {@value Provenance#UNKNOWN} (no libc mapped:
     *         e.g. musl, or not a maps text)
     */
    static String of(String maps, Long mallocAddress, String glibcVersion) {
        String holder = null;      // file name of the mapping that holds malloc
        String alternative = null; // first tcmalloc or jemalloc mapped
        boolean libc = false;
        for (String line : maps.split("\n")) {
            String[] f = line.strip().split("\\s+", 6);
            if (f.length < 6 || !f[5].startsWith("/")) {
                continue; // anonymous, [heap], [stack], ...
            }
            String path = f[5].endsWith(" (deleted)") ? f[5].substring(0, f[5].length() - 10) : f[5];
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (alternative == null && kind(name) != null) {
                alternative = name;
            }
            libc |= isLibc(name);
            if (mallocAddress != null && holder == null && contains(f[0], mallocAddress)) {
                holder = name;
            }
        }
        if (holder == null) { // malloc's address not known (or in no file): a mapped tcmalloc or jemalloc is in use
            return alternative != null ? kind(alternative) + " (" + alternative + ")"
                    : libc ? glibc(glibcVersion) : Provenance.UNKNOWN;
        }
        if (kind(holder) != null) {
            return kind(holder) + " (" + holder + ")";
        }
        return isLibc(holder) ? glibc(glibcVersion) : "other (" + holder + ")"; // e.g. mimalloc
    }

    private static String glibc(String version) {
        return version == null || version.isBlank() ? "glibc" : "glibc " + version.strip();
    }

    private static boolean isLibc(String fileName) {
        return fileName.startsWith("libc.so") || fileName.startsWith("libc-2.");
    }

    private static String kind(String fileName) {
        if (fileName.contains("libtcmalloc")) {
            return "tcmalloc";
        }
        if (fileName.contains("libjemalloc")) {
            return "jemalloc";
        }
        return null;
    }

    /** Whether the range {@code start-end} (hex, end exclusive) holds {@code address}. */
    private static boolean contains(String range, long address) {
        int dash = range.indexOf('-');
        if (dash < 0) {
            return false;
        }
        try {
            long start = Long.parseUnsignedLong(range.substring(0, dash), 16);
            long end = Long.parseUnsignedLong(range.substring(dash + 1), 16);
            return Long.compareUnsigned(start, address) <= 0 && Long.compareUnsigned(address, end) < 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The address of {@code malloc} in the process's global symbol scope (preloaded libraries first), or null. */
    private static Long mallocAddress() {
        try {
            return Native.mallocAddress();
        } catch (Throwable e) { // JNA missing or unusable
            return null;
        }
    }

    /** {@code gnu_get_libc_version()}, or null where there is none (not glibc) or JNA cannot call it. */
    private static String glibcVersion() {
        try {
            return Native.glibcVersion();
        } catch (Throwable e) {
            return null;
        }
    }

    /** The calls through JNA, in a class of their own so that without JNA only they fail, and are caught. */
    private static final class Native {
        static long mallocAddress() {
            return Pointer.nativeValue(NativeLibrary.getProcess().getFunction("malloc"));
        }

        static String glibcVersion() {
            return NativeLibrary.getProcess().getFunction("gnu_get_libc_version").invokeString(new Object[0], false);
        }
    }
}
