package org.revbench.core.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * A workload with known allocations: per step one float32 tensor of {@code n} elements
 * (4 MiB for the default n = 2^20) that lives for the whole step, and one of {@code 2n}
 * (8 MiB) freed inside the step while the first is alive. The step's peak is therefore
 * 12 MiB plus whatever was alive before it.
 */
public class TensorMemoryWorkload implements MemoryWorkload {

    private NDManager manager;
    private long elements = 1L << 20;

    @Override
    public void setUp(String[] args) {
        if (args.length > 0) {
            elements = Long.parseLong(args[0]);
        }
        manager = NDManager.newBaseManager();
    }

    @Override
    public void step() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray kept = scope.zeros(new Shape(elements));
            NDArray temporary = scope.zeros(new Shape(2 * elements));
            temporary.close(); // freed inside the step, while `kept` is still alive
            kept.getShape();
        } // `kept` freed here
    }

    @Override
    public int batch() {
        return 2;
    }

    @Override
    public Map<String, Object> details() {
        // what the measuring process itself saw of the probe's instruction-set cap
        return Map.of("elements", elements, "engine", manager.getEngine().getEngineName(), "child_onednn_max_cpu_isa",
                String.valueOf(System.getenv(PeakMemoryProbe.ONEDNN_ISA_ENV)));
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
