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

    /** Measures one row at one scale. Throws {@link ProtocolException} with a message a user can act on. */
    List<Measurement> measure(ProtocolContext context) throws Exception;
}
