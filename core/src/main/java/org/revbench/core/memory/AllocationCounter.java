package org.revbench.core.memory;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Java view of the counters of the preloaded counter library: {@code librevbench_alloc.so}
 * (src/main/c/alloc_counter.c, libtorch's host tensors through {@code posix_memalign}) or, in a process started with
 * {@value #COUNTER_PROPERTY}{@code =cuda}, {@code librevbench_cuda_alloc.so} (src/main/c/cuda_alloc_counter.c, the
 * CUDA runtime's {@code cudaMalloc} and {@code cudaFree}). One process counts one of the two: which is decided when
 * it starts, as the preload is.
 *
 * <p>The counters only mean something when that library was preloaded at process start
 * ({@code LD_PRELOAD}); a copy loaded later would see none of libtorch's allocations.
 * So the functions are looked up in the process' global symbol scope (where preloaded
 * libraries live) and never loaded from a file here, and {@link #isActive()} additionally
 * asks the host library whether it really is the process' {@code posix_memalign}.
 */
public final class AllocationCounter {

    /** The system property that makes this process count CUDA device allocations ({@code cuda}) instead of host ones. */
    public static final String COUNTER_PROPERTY = "revbench.memory.counter";

    private AllocationCounter() {}

    /** Whether this process counts CUDA device allocations ({@value #COUNTER_PROPERTY}{@code =cuda}). */
    public static boolean countsCuda() {
        return "cuda".equals(System.getProperty(COUNTER_PROPERTY));
    }

    /** The bound functions, or the reason they could not be bound; resolved once. */
    private static final class Binding {
        static final Function LIVE, PEAK, RESET_PEAK, COUNT;
        static final String INACTIVE_REASON;

        static {
            Function live = null, peak = null, reset = null, count = null;
            String reason;
            boolean cuda = countsCuda();
            String lib = cuda ? "librevbench_cuda_alloc" : "librevbench_alloc";
            try {
                NativeLibrary process = NativeLibrary.getProcess();
                if (cuda) {
                    live = process.getFunction("revbench_cuda_live_bytes");
                    peak = process.getFunction("revbench_cuda_peak_bytes");
                    reset = process.getFunction("revbench_cuda_reset_peak");
                    count = process.getFunction("revbench_cuda_allocations");
                    reason = null; // whether cudaMalloc reaches it shows in the count (MemoryProbeMain)
                } else {
                    live = process.getFunction("revbench_alloc_live");
                    peak = process.getFunction("revbench_alloc_peak");
                    reset = process.getFunction("revbench_alloc_reset_peak");
                    count = process.getFunction("revbench_alloc_count");
                    int active = process.getFunction("revbench_alloc_active").invokeInt(new Object[0]);
                    reason = active == 1 ? null
                            : "librevbench_alloc is loaded but does not intercept posix_memalign"
                                    + " (not preloaded first?)";
                }
            } catch (UnsatisfiedLinkError e) {
                reason = lib + " is not preloaded in this process (LD_PRELOAD=" + System.getenv("LD_PRELOAD") + ")";
            } catch (Throwable e) { // JNA missing or unusable: report, never throw from isActive()
                reason = "cannot bind " + lib + " through JNA: " + e;
            }
            LIVE = live;
            PEAK = peak;
            RESET_PEAK = reset;
            COUNT = count;
            INACTIVE_REASON = reason;
        }
    }

    /** True when the preloaded counter is live in this process; never throws. */
    public static boolean isActive() {
        return inactiveReason() == null;
    }

    /** Why {@link #isActive()} is false, or {@code null} when it is true; never throws. */
    public static String inactiveReason() {
        try {
            return Binding.INACTIVE_REASON;
        } catch (Throwable e) { // e.g. NoClassDefFoundError when JNA is absent
            return "cannot bind the allocation counter: " + e;
        }
    }

    /** Bytes of tracked allocations (host: aligned ones; CUDA: device ones) alive now. */
    public static long liveBytes() {
        return requireActive(Binding.LIVE).invokeLong(new Object[0]);
    }

    /** Highest {@link #liveBytes()} since the last {@link #resetPeak()} (or process start). */
    public static long peakBytes() {
        return requireActive(Binding.PEAK).invokeLong(new Object[0]);
    }

    /** Sets the peak to the current live bytes, so the next peak covers only what follows. */
    public static void resetPeak() {
        requireActive(Binding.RESET_PEAK).invokeVoid(new Object[0]);
    }

    /** Number of tracked allocations since process start. */
    public static long allocationCount() {
        return requireActive(Binding.COUNT).invokeLong(new Object[0]);
    }

    /**
     * CUDA allocations the counter's pointer table had no room for (their sizes are then never subtracted, nor
     * added): non-zero makes the peak a lower bound. Always 0 for the host counter.
     */
    public static long untrackedAllocations() {
        requireActive(Binding.COUNT);
        return countsCuda() ? NativeLibrary.getProcess().getFunction("revbench_cuda_untracked").invokeLong(new Object[0]) : 0;
    }

    private static Function requireActive(Function f) {
        String reason = inactiveReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        return f;
    }
}
