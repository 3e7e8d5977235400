package org.revbench.core.memory;

import java.util.Map;

/**
 * The computation whose peak memory is measured. It runs inside the forked probe JVM
 * ({@link MemoryProbeMain}), which is why it is named by class and built by reflection:
 * implementations need a public no-argument constructor and take their configuration
 * from {@link #setUp(String[])} as plain strings.
 *
 * <p>Everything a step allocates through libtorch is counted, so a workload should
 * allocate its model, optimizer state and inputs in {@code setUp} (they then show up
 * in {@code live_bytes_before}) and do exactly one training step in {@link #step()}.
 */
public interface MemoryWorkload extends AutoCloseable {

    /** Builds the model, inputs etc. from the workload arguments of the probe command line. */
    void setUp(String[] args) throws Exception;

    /** One measured unit of work, e.g. forward + backward + optimizer update of one batch. */
    void step() throws Exception;

    /** Divisor for the per-image figure, e.g. the batch size; must be positive. */
    int batch();

    /** Extra fields copied into the result, e.g. the model name or the number of parameters. */
    default Map<String, Object> details() {
        return Map.of();
    }

    /** Releases native memory; called once after the last step, also after a failure. */
    @Override
    default void close() {}
}
