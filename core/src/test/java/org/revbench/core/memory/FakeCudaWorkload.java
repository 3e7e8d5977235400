package org.revbench.core.memory;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A workload that allocates device memory as libtorch's CUDA allocator does with its cache off, through whatever
 * {@code cudaMalloc} the process resolves first (the preloaded counter, in front of the fake CUDA runtime of
 * {@link CudaAllocationCounterTest}): 1000 bytes kept from the set-up, and per step 3000 and 5000 bytes, the 3000 freed,
 * 2000 bytes through the stream-ordered {@code cudaMallocAsync}, then all three freed. The step's peak is 9000 bytes,
 * 8000 of them above what lives before it.
 */
public class FakeCudaWorkload implements MemoryWorkload {

    private Pointer kept;
    private final Map<String, Object> details = new LinkedHashMap<>();

    private static Pointer malloc(long bytes, boolean async) {
        PointerByReference p = new PointerByReference();
        Function f = NativeLibrary.getProcess().getFunction(async ? "cudaMallocAsync" : "cudaMalloc");
        int rc = async ? f.invokeInt(new Object[] {p, bytes, null}) : f.invokeInt(new Object[] {p, bytes});
        if (rc != 0) {
            throw new IllegalStateException("cudaMalloc failed: " + rc);
        }
        return p.getValue();
    }

    private static void free(Pointer p, boolean async) {
        Function f = NativeLibrary.getProcess().getFunction(async ? "cudaFreeAsync" : "cudaFree");
        f.invokeInt(async ? new Object[] {p, null} : new Object[] {p});
    }

    @Override
    public void setUp(String[] args) {
        kept = malloc(1000, false);
        details.put("caching_off", System.getenv(PeakMemoryProbe.NO_CUDA_CACHING_ENV));
        details.put("counts_cuda", AllocationCounter.countsCuda());
    }

    @Override
    public void step() {
        Pointer a = malloc(3000, false);
        Pointer b = malloc(5000, false);
        free(a, false);
        Pointer c = malloc(2000, true);
        free(b, false);
        free(c, true);
    }

    @Override
    public int batch() {
        return 4;
    }

    @Override
    public Map<String, Object> details() {
        return details;
    }

    @Override
    public void close() {
        if (kept != null) {
            free(kept, false);
        }
    }
}
