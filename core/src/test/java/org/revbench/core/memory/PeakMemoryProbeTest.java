package org.revbench.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeakMemoryProbeTest {

    private static final long MIB = 1024L * 1024L;

    /** Skips (does not fail) only where the probe legitimately cannot exist: not Linux, or no gcc at build time. */
    private static void assumeLibraryBuilt() {
        PeakMemoryProbe.LibraryLookup lib = PeakMemoryProbe.locateLibrary(null, PeakMemoryProbe.LIBRARY_NAME);
        assumeTrue(lib.path() != null, lib.reason());
    }

    @Test
    void counterIsInactiveInAJvmWithoutThePreload() {
        assertFalse(AllocationCounter.isActive());
        assertNotNull(AllocationCounter.inactiveReason());
        assertThrows(IllegalStateException.class, AllocationCounter::peakBytes);
    }

    @Test
    void missingLibraryIsNotAvailableWithAReason() {
        Path missing = Path.of("/nonexistent/revbench/librevbench_alloc.so");
        PeakMemoryProbe probe = new PeakMemoryProbe(PeakMemoryProbe.Options.builder().library(missing).build());

        MemoryResult r = probe.measure(TensorMemoryWorkload.class, 1, 1);

        assertFalse(r.available());
        assertTrue(r.reason().contains(missing.toString()), r.reason());
        assertTrue(Double.isNaN(r.mibPerImage()));
    }

    @Test
    void peakCoversKnownAllocationsAndRepeats() {
        assumeLibraryBuilt();
        PeakMemoryProbe probe = new PeakMemoryProbe();

        MemoryResult first = probe.measure(TensorMemoryWorkload.class, 2, 3);
        MemoryResult second = probe.measure(TensorMemoryWorkload.class, 2, 3);
        System.out.println("memory probe, first:  " + first.toMap());
        System.out.println("memory probe, second: " + second.toMap());

        assertTrue(first.available(), first.reason());
        assertEquals(3, first.perStepPeaks().size());
        assertEquals(2, first.batch());
        assertEquals("PyTorch", first.details().get("engine"));
        if (System.getProperty("os.arch").equals("amd64") && System.getenv(PeakMemoryProbe.ONEDNN_ISA_ENV) == null) {
            // the measuring process ran with oneDNN capped at AVX2, so that a peak does not depend on the CPU
            assertEquals(PeakMemoryProbe.PINNED_ISA, first.details().get("child_onednn_max_cpu_isa"));
            assertEquals(PeakMemoryProbe.PINNED_ISA, first.details().get(PeakMemoryProbe.ISA_DETAIL));
        }
        // 4 MiB kept + 8 MiB temporary alive together; the rest of the process (engine
        // state, the JVM's own aligned allocations) may add a little, but not megabytes.
        long known = 12 * MIB;
        assertTrue(first.peakBytes() >= known, "peak " + first.peakBytes() + " < " + known);
        assertTrue(first.peakBytes() - first.liveBytesBefore() >= known, "peak above live " + first.toMap());
        assertTrue(first.peakBytes() <= known + MIB, "peak " + first.peakBytes() + " far above " + known);
        assertEquals(first.peakBytes() / 2.0 / MIB, first.mibPerImage(), 1e-12);
        assertTrue(first.trackedAllocations() >= 6, "two tensors per step: " + first.trackedAllocations());

        double spread = Math.abs(first.peakBytes() - second.peakBytes()) / (double) first.peakBytes();
        assertTrue(spread <= 0.005, "separate processes disagree by " + 100 * spread + " %");
    }

    @Test
    void failingWorkloadThrowsWithTheChildsError() {
        assumeLibraryBuilt();
        MemoryProbeException e = assertThrows(MemoryProbeException.class,
                () -> new PeakMemoryProbe().measure(FailingWorkload.class, 0, 1, List.of()));

        assertNotNull(e.childError());
        assertTrue(e.childError().contains("deliberate failure in setUp"), e.getMessage());
        assertEquals(MemoryProbeMain.EXIT_ERROR, e.exitCode());
        assertFalse(e.isOutOfMemory());
    }

    @Test
    void aProbeKilledBySigkillIsReportedAsOutOfMemory() {
        assumeLibraryBuilt();
        MemoryProbeException e = assertThrows(MemoryProbeException.class,
                () -> new PeakMemoryProbe().measure(KilledWorkload.class, 0, 1, List.of()));
        assertEquals(128 + 9, e.exitCode());
        assertTrue(e.isOutOfMemory());
        assertTrue(e.getMessage().contains("out-of-memory killer") && e.getMessage().contains("smaller batch"), e.getMessage());
    }

    @Test
    void aProbeThatCrashesInNativeCodeNamesTheFrameAndKeepsItsCrashReportOutOfTheWorkingDirectory() throws Exception {
        assumeLibraryBuilt();
        MemoryProbeException e = assertThrows(MemoryProbeException.class,
                () -> new PeakMemoryProbe().measure(CrashingWorkload.class, 0, 1, List.of()));
        assertFalse(e.isOutOfMemory());
        assertTrue(e.getMessage().startsWith("probe JVM crashed: SIGSEGV"), e.getMessage());
        assertTrue(e.getMessage().contains("crash report: " + PeakMemoryProbe.crashDirectory()), e.getMessage());
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("."))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err_pid")),
                    "no crash report in the working directory (one was committed by mistake before)");
        }
    }
}
