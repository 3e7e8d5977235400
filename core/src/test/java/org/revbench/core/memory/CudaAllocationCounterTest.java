package org.revbench.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA allocation counter ({@code src/main/c/cuda_alloc_counter.c}) on a machine without a GPU: a fake CUDA
 * runtime built here (cudaMalloc and friends over the host heap, with a failing allocation) stands behind it, and a
 * small program allocates and frees through it with the counter preloaded, as libtorch's CUDA allocator would with its
 * caching disabled. The live and peak bytes must follow every call exactly: the async variants, a failed allocation
 * (not counted), a free of a pointer allocated before the counter saw it (passed through), a peak reset.
 */
class CudaAllocationCounterTest {

    static final String FAKE_RUNTIME = """
            #include <stdlib.h>
            #include <stddef.h>
            int cudaMalloc(void **p, size_t n) { if (n > ((size_t) 1 << 40)) return 2; *p = malloc(n); return 0; }
            int cudaFree(void *p) { free(p); return 0; }
            int cudaMallocAsync(void **p, size_t n, void *s) { (void) s; return cudaMalloc(p, n); }
            int cudaFreeAsync(void *p, void *s) { (void) s; return cudaFree(p); }
            """;

    static final String PROGRAM = """
            #define _GNU_SOURCE
            #include <dlfcn.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <stddef.h>
            int cudaMalloc(void **p, size_t n);
            int cudaFree(void *p);
            int cudaMallocAsync(void **p, size_t n, void *s);
            int cudaFreeAsync(void *p, void *s);
            static void show(const char *when) {
                size_t (*live)(void) = (size_t (*)(void)) dlsym(RTLD_DEFAULT, "revbench_cuda_live_bytes");
                size_t (*peak)(void) = (size_t (*)(void)) dlsym(RTLD_DEFAULT, "revbench_cuda_peak_bytes");
                size_t (*count)(void) = (size_t (*)(void)) dlsym(RTLD_DEFAULT, "revbench_cuda_allocations");
                if (!live || !peak || !count) { printf("%s: no counter\\n", when); return; }
                printf("%s: live %zu peak %zu allocations %zu\\n", when, live(), peak(), count());
            }
            int main(void) {
                void *a, *b, *c, *d, *never;
                setvbuf(stdout, NULL, _IONBF, 0);
                void *outside = malloc(64);               /* a device pointer the counter never saw allocated */
                cudaMalloc(&a, 1000);
                cudaMalloc(&b, 3000);
                show("two");
                cudaFree(a);
                show("freed a");
                cudaMallocAsync(&c, 5000, NULL);
                show("async");
                int e = cudaMalloc(&never, (size_t) 1 << 41);
                printf("failed %d\\n", e);
                show("failed");
                cudaFree(outside);
                show("outside");
                void (*reset)(void) = (void (*)(void)) dlsym(RTLD_DEFAULT, "revbench_cuda_reset_peak");
                if (reset) reset();
                show("reset");
                cudaMalloc(&d, 700);
                cudaFreeAsync(c, NULL);
                cudaFree(b);
                cudaFree(d);
                show("end");
                return 0;
            }
            """;

    @Test
    void liveAndPeakBytesFollowEveryRuntimeCall(@TempDir Path dir) throws Exception {
        URL lib = getClass().getClassLoader().getResource("native/librevbench_cuda_alloc.so");
        Assumptions.assumeTrue(lib != null || System.getenv("CI") == null, "gcc missing: the counter was not built");
        assertNotNull(lib, "native/librevbench_cuda_alloc.so was not built (gcc during core's compile phase)");
        Files.writeString(dir.resolve("fake_cudart.c"), FAKE_RUNTIME);
        Files.writeString(dir.resolve("program.c"), PROGRAM);
        run(dir, "gcc", "-shared", "-fPIC", "-o", "libcudart_fake.so", "fake_cudart.c");
        run(dir, "gcc", "-o", "program", "program.c", "-L.", "-lcudart_fake", "-ldl");

        ProcessBuilder pb = new ProcessBuilder(dir.resolve("program").toString()).directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", dir.toString());
        pb.environment().put("LD_PRELOAD", Path.of(lib.toURI()).toString());
        String out = output(pb);
        assertEquals(List.of(
                "two: live 4000 peak 4000 allocations 2",
                "freed a: live 3000 peak 4000 allocations 2",
                "async: live 8000 peak 8000 allocations 3",
                "failed 2",
                "failed: live 8000 peak 8000 allocations 3",
                "outside: live 8000 peak 8000 allocations 3",
                "reset: live 8000 peak 8000 allocations 3",
                "end: live 0 peak 8700 allocations 4"), out.lines().toList(), out);

        // without the counter the program runs on the runtime alone: the interposition is transparent
        pb.environment().remove("LD_PRELOAD");
        assertEquals("two: no counter", output(pb).lines().findFirst().orElse(""));
    }

    /**
     * The probe on a GPU, with the fake runtime standing in for CUDA's: it preloads the CUDA counter (not the host
     * one), switches libtorch's caching allocator off, tells the child to read the CUDA counter, and measures the
     * device bytes of the measured steps exactly.
     */
    @Test
    void theProbeOnAGpuCountsTheDevicesAllocations(@TempDir Path dir) throws Exception {
        URL lib = getClass().getClassLoader().getResource("native/librevbench_cuda_alloc.so");
        Assumptions.assumeTrue(lib != null || System.getenv("CI") == null, "gcc missing: the counter was not built");
        assertNotNull(lib, "native/librevbench_cuda_alloc.so was not built (gcc during core's compile phase)");
        Files.writeString(dir.resolve("fake_cudart.c"), FAKE_RUNTIME);
        run(dir, "gcc", "-shared", "-fPIC", "-o", "libcudart_fake.so", "fake_cudart.c");

        PeakMemoryProbe probe = new PeakMemoryProbe(PeakMemoryProbe.Options.builder().device(ai.djl.Device.gpu(0))
                .env("LD_PRELOAD", dir.resolve("libcudart_fake.so").toString()).build());
        MemoryResult r = probe.measure(FakeCudaWorkload.class, 1, 2);
        assertTrue(r.available(), String.valueOf(r.reason()));
        assertEquals(9000, r.peakBytes());
        assertEquals(List.of(9000L, 9000L), r.perStepPeaks());
        assertEquals(1000, r.liveBytesBefore());
        assertEquals(1000, r.liveBytesAfter());
        assertEquals(6, r.trackedAllocations());
        assertEquals("1", r.details().get("caching_off"));
        assertEquals(Boolean.TRUE, r.details().get("counts_cuda"));
        assertEquals("cuda", r.details().get(PeakMemoryProbe.COUNTER_DETAIL));
        assertEquals(0L, ((Number) r.details().get("untracked_allocations")).longValue());

        // a GPU workload none of whose allocations reach the counter (a runtime linked into libtorch) is refused
        MemoryResult none = new PeakMemoryProbe(PeakMemoryProbe.Options.builder().device(ai.djl.Device.gpu(0)).build())
                .measure(NoAllocationWorkload.class, 0, 1);
        assertFalse(none.available());
        assertTrue(none.reason().contains("no CUDA allocation of the measured step reached"), none.reason());
    }

    /** A workload that allocates no device memory. */
    public static class NoAllocationWorkload implements MemoryWorkload {
        @Override
        public void setUp(String[] args) {}

        @Override
        public void step() {}

        @Override
        public int batch() {
            return 1;
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Assumptions.assumeTrue(gccPresent() || System.getenv("CI") == null, "no gcc");
        String out = output(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true));
        assertEquals("", out.strip(), String.join(" ", command));
    }

    private static boolean gccPresent() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(p, "gcc"))) {
                return true;
            }
        }
        return false;
    }

    private static String output(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end: " + pb.command());
        }
        List<String> lines = new ArrayList<>(out.lines().toList());
        return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
    }
}
