package org.revbench.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;

/**
 * A built model and one synthetic batch in its input format, in a manager of their own: what every shape-only
 * measurement (memory, latency, invertibility, gradient checks) starts from. Closing it frees all three.
 */
public record ModelOnBatch(NDManager manager, Network network, SyntheticBatch batch) implements AutoCloseable {

    /**
     * Builds {@code def} with {@code options} and a batch of {@code batchSize} drawn with {@code dataSeed}, both on
     * {@code device}.
     */
    public static ModelOnBatch open(ModelDefinition def, ModelOptions options, int batchSize, long dataSeed,
                                    Device device) {
        NDManager manager = Engines.newManager(device);
        try {
            Network network = def.build(manager, options);
            SyntheticBatch batch = SyntheticBatch.of(manager, network.input(), batchSize, options.timesteps(),
                    options.classes(), options.dtype(), dataSeed);
            return new ModelOnBatch(manager, network, batch);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public void close() {
        batch.close();
        network.close();
        manager.close();
    }
}
