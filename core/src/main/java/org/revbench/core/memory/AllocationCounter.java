package org.revbench.core.memory;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Java view of the counters in {@code librevbench_alloc.so} (src/main/c/alloc_counter.c).
 *
 * <p>The counters only mean something when that library was preloaded at process start
 * ({@code LD_PRELOAD}); a copy loaded later would see none of libtorch's allocations.
 * So the functions are looked up in the process' global symbol scope (where preloaded
 * libraries live) and never loaded from a file here, and {@link #isActive()} additionally
 * asks the library whether it really is the process' {@code posix_memalign}.
 */
public final class AllocationCounter {

    private AllocationCounter() {}

    /** The bound functions, or the reason they could not be bound; resolved once. */
    private static final class Binding {
        static final Function LIVE, PEAK, RESET_PEAK, COUNT;
        static final String INACTIVE_REASON;

        static {
            Function live = null, peak = null, reset = null, count = null;
            String reason;
            try {
                NativeLibrary process = NativeLibrary.getProcess();
                live = process.getFunction("revbench_alloc_live");
                peak = process.getFunction("revbench_alloc_peak");
                reset = process.getFunction("revbench_alloc_reset_peak");
                count = process.getFunction("revbench_alloc_count");
                int active = process.getFunction("revbench_alloc_active").invokeInt(new Object[0]);
                reason = active == 1 ? null
                        : "librevbench_alloc is loaded but does not intercept posix_memalign"
                                + " (not preloaded first?)";
            } catch (UnsatisfiedLinkError e) {
                reason = "librevbench_alloc is not preloaded in this process (LD_PRELOAD="
                        + System.getenv("LD_PRELOAD") + ")";
            } catch (Throwable e) { // JNA missing or unusable: report, never throw from isActive()
                reason = "cannot bind librevbench_alloc through JNA: " + e;
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
            return "cannot bind librevbench_alloc: " + e;
        }
    }

    /** Bytes of tracked (aligned) allocations alive now. */
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

    private static Function requireActive(Function f) {
        String reason = inactiveReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        return f;
    }
}
