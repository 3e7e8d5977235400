package org.revbench.core.memory;

import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point of the forked probe JVM that {@link PeakMemoryProbe} starts with the
 * allocation counter preloaded.
 *
 * <p>Usage: {@code MemoryProbeMain <workloadClass> <warmupSteps> <measuredSteps> [workload args...]}
 *
 * <p>Protocol on stdout (other output, e.g. from native libraries, may be interleaved, so
 * each line carries a prefix): exactly one of
 * <ul>
 *   <li>{@code REVBENCH-MEMORY {json}} and exit 0,</li>
 *   <li>{@code REVBENCH-MEMORY-UNAVAILABLE reason} and exit 3 (the counter is not active),</li>
 *   <li>{@code REVBENCH-MEMORY-ERROR message} and exit 1 (the details go to stderr).</li>
 * </ul>
 */
public final class MemoryProbeMain {

    public static final String RESULT_PREFIX = "REVBENCH-MEMORY ";
    public static final String ERROR_PREFIX = "REVBENCH-MEMORY-ERROR ";
    public static final String UNAVAILABLE_PREFIX = "REVBENCH-MEMORY-UNAVAILABLE ";
    /** Start of the error message when the workload ran out of memory. */
    public static final String OUT_OF_MEMORY = "out of memory";

    static final int EXIT_ERROR = 1;
    static final int EXIT_UNAVAILABLE = 3;

    private MemoryProbeMain() {}

    public static void main(String[] args) {
        // Keep a handle on the real stdout: a workload might redirect System.out.
        PrintStream out = System.out;
        int code;
        try {
            code = run(args, out);
        } catch (Throwable t) {
            t.printStackTrace();
            out.println(ERROR_PREFIX + describe(t));
            code = EXIT_ERROR;
        }
        out.flush();
        System.err.flush();
        // Explicit exit: engine thread pools (OpenMP, DJL) must not keep the probe alive.
        System.exit(code);
    }

    private static int run(String[] args, PrintStream out) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException(
                    "usage: MemoryProbeMain <workloadClass> <warmupSteps> <measuredSteps> [workload args...]");
        }
        // Check before loading any engine: without the counter every number would be wrong.
        String inactive = AllocationCounter.inactiveReason();
        if (inactive != null) {
            out.println(UNAVAILABLE_PREFIX + oneLine(inactive));
            return EXIT_UNAVAILABLE;
        }
        String className = args[0];
        int warmup = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        if (warmup < 0 || measured < 1) {
            throw new IllegalArgumentException("need warmupSteps >= 0 and measuredSteps >= 1");
        }
        String[] workloadArgs = Arrays.copyOfRange(args, 3, args.length);

        Class<? extends MemoryWorkload> type = Class.forName(className).asSubclass(MemoryWorkload.class);
        try (MemoryWorkload workload = type.getConstructor().newInstance()) {
            workload.setUp(workloadArgs);
            int batch = workload.batch();
            if (batch <= 0) {
                throw new IllegalStateException("workload batch() must be positive, was " + batch);
            }
            // Warm-up absorbs one-off allocations (engine caches, lazily created state,
            // optimizer moments) that would otherwise inflate the first measured step.
            for (int i = 0; i < warmup; i++) {
                workload.step();
            }

            long liveBefore = AllocationCounter.liveBytes();
            long countBefore = AllocationCounter.allocationCount();
            List<Long> peaks = new ArrayList<>(measured);
            long peak = 0;
            for (int i = 0; i < measured; i++) {
                // Reset right before the step: the step's peak includes what is already
                // alive (weights, optimizer state), as an allocator peak should.
                AllocationCounter.resetPeak();
                workload.step();
                long p = AllocationCounter.peakBytes();
                peaks.add(p);
                peak = Math.max(peak, p);
            }
            long liveAfter = AllocationCounter.liveBytes();
            long countAfter = AllocationCounter.allocationCount();
            if (AllocationCounter.countsCuda() && countAfter == countBefore) {
                // the measured step allocated device memory, but none of it through the interposed cudaMalloc
                out.println(UNAVAILABLE_PREFIX + "no CUDA allocation of the measured step reached"
                        + " librevbench_cuda_alloc (a CUDA runtime linked statically into libtorch, or its caching"
                        + " allocator left on?): the peak would be wrong");
                return EXIT_UNAVAILABLE;
            }

            Map<String, Object> json = new LinkedHashMap<>();
            json.put("workload", className);
            json.put("warmup_steps", warmup);
            json.put("measured_steps", measured);
            json.put("peak_bytes", peak);
            json.put("per_step_peaks", peaks);
            json.put("live_bytes_before", liveBefore);
            json.put("live_bytes_after", liveAfter);
            json.put("batch", batch);
            json.put("mib_per_image", peak / (double) batch / (1024.0 * 1024.0));
            json.put("tracked_allocations", countAfter - countBefore);
            json.put("tracked_allocations_total", countAfter);
            Map<String, Object> details = new LinkedHashMap<>(workload.details());
            if (AllocationCounter.countsCuda()) {
                // non-zero: allocations the counter could not record, so the peak is a lower bound
                details.put("untracked_allocations", AllocationCounter.untrackedAllocations());
            }
            json.put("details", details);
            String line = new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(json);
            out.println(RESULT_PREFIX + line);
            return 0;
        }
    }

    /** One-line description; out-of-memory conditions (Java heap or native) start with "out of memory". */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root
                && (root instanceof java.lang.reflect.InvocationTargetException
                        || root instanceof java.lang.reflect.UndeclaredThrowableException)) {
            root = root.getCause();
        }
        String text = root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return oneLine(isOutOfMemory(t) ? OUT_OF_MEMORY + ": " + text : text);
    }

    private static boolean isOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
            // libtorch's CPU allocator reports failure as a C++ exception that DJL wraps.
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("can't allocate memory") || m.contains("not enough memory")
                    || m.contains("out of memory")) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
