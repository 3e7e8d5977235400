package org.revbench.harness.protocol;

import java.util.List;
import org.revbench.harness.result.Measurement;

/**
 * One way of measuring a model, the same code for every model (NeuroBench's split: static metrics once per
 * model, workload metrics from running it). Implementations: {@link StaticProtocol}, {@link InvertibilityProtocol},
 * {@link MemoryProtocol}, {@link LatencyProtocol}, {@link TrainProtocol}.
 */
public interface Protocol {

    /** The name spec columns map to ({@code static}, {@code memory}, ...). */
    String name();

    /**
     * Whether this protocol measures each of a row's seeds on its own (one training run per seed, each seed's numbers
     * carrying its seed), so that a grid may measure, store and hand out the seeds one by one; such a protocol
     * measures only {@link ProtocolContext#seeds()}. False: one run measures the row, whatever its seeds.
     */
    default boolean eachSeedApart() {
        return false;
    }

    /**
     * Whether this protocol's numbers are timings of this machine's work (a JMH benchmark, a step-time comparison), which
     * any other measurement on the machine would load: the grid then measures it alone on the machine
     * ({@link org.revbench.harness.bench.NodeLock#exclusive}).
     */
    default boolean timed() {
        return false;
    }

    /** Measures one row at one scale. Throws {@link ProtocolException} with a message a user can act on. */
    List<Measurement> measure(ProtocolContext context) throws Exception;
}
