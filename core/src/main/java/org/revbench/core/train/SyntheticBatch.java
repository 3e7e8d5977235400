package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.InputSpec;

/**
 * A deterministic random batch in a model's input format: images with standard-normal pixels, event frames with
 * Poisson-like counts. For shape-only protocols (memory, timing) where the data's values do not matter.
 */
public record SyntheticBatch(NDArray input, NDArray labels) implements AutoCloseable {

    public static SyntheticBatch of(NDManager manager, InputSpec spec, int batch, int timesteps, int classes,
                                    DataType dtype, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Shape shape = spec.batchShape(batch, timesteps);
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = spec.events() ? (r.nextDouble() < 0.1 ? 1 + r.nextInt(3) : 0) : r.nextGaussian();
        }
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = r.nextInt(classes);
        }
        return new SyntheticBatch(Tensors.fromDoubles(manager, v, shape, dtype),
                Tensors.fromLongs(manager, labels, new Shape(batch)));
    }

    @Override
    public void close() {
        input.close();
        labels.close();
    }
}
