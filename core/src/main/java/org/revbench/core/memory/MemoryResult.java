package org.revbench.core.memory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Outcome of one forked peak-memory measurement.
 *
 * <p>Either {@link #available()} with numbers, or not available with a {@link #reason()}
 * and no numbers at all: a probe that cannot measure must say so rather than report a
 * figure (zero or otherwise) that could end up in a table.
 *
 * @param available          false when the probe cannot measure on this machine
 * @param reason             why not available; {@code null} when available
 * @param workload           class name of the measured {@link MemoryWorkload}
 * @param peakBytes          maximum over the measured steps of the allocator peak, in bytes
 * @param perStepPeaks       the peak of each measured step (peak reset right before each step)
 * @param liveBytesBefore    bytes alive after set-up and warm-up, before the first measured step
 * @param liveBytesAfter     bytes alive after the last measured step
 * @param batch              divisor for {@link #mibPerImage()}
 * @param trackedAllocations aligned allocations made during the measured steps
 * @param details            extra fields from {@link MemoryWorkload#details()}
 */
public record MemoryResult(
        boolean available,
        String reason,
        String workload,
        long peakBytes,
        List<Long> perStepPeaks,
        long liveBytesBefore,
        long liveBytesAfter,
        int batch,
        long trackedAllocations,
        Map<String, Object> details) {

    private static final double MIB = 1024.0 * 1024.0;

    public MemoryResult {
        perStepPeaks = List.copyOf(perStepPeaks);
        details = details == null ? Map.of() : Map.copyOf(details);
        if (available) {
            if (batch <= 0) {
                throw new IllegalArgumentException("batch must be positive: " + batch);
            }
        } else {
            Objects.requireNonNull(reason, "an unavailable result needs a reason");
        }
    }

    /** A result that carries only the reason the probe cannot measure. */
    public static MemoryResult notAvailable(String reason) {
        return new MemoryResult(false, reason, null, -1, List.of(), -1, -1, 0, -1, Map.of());
    }

    /** Peak in MiB (2^20 bytes); NaN when not available. */
    public double peakMib() {
        return available ? peakBytes / MIB : Double.NaN;
    }

    /** Peak per image, {@code peakBytes / batch / 2^20}; NaN when not available. */
    public double mibPerImage() {
        return available ? peakBytes / (double) batch / MIB : Double.NaN;
    }

    /** Field map for JSON reports, with the same snake_case names the probe prints. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available", available);
        if (!available) {
            m.put("reason", reason);
            return m;
        }
        m.put("workload", workload);
        m.put("peak_bytes", peakBytes);
        m.put("per_step_peaks", perStepPeaks);
        m.put("live_bytes_before", liveBytesBefore);
        m.put("live_bytes_after", liveBytesAfter);
        m.put("batch", batch);
        m.put("mib_per_image", mibPerImage());
        m.put("tracked_allocations", trackedAllocations);
        m.put("details", details);
        return m;
    }
}
