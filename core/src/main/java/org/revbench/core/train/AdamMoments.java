package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.nn.Parameter;

/**
 * The state Adam-style optimizers (Adam, AdamW, LAMB) carry between steps: the step count and, per parameter, the
 * first and second moments {@code m} and {@code v}; saved and restored bit-exactly.
 */
final class AdamMoments implements AutoCloseable {

    private final String kind;
    private final Map<Parameter, NDArray[]> moments = new IdentityHashMap<>();
    private long steps;

    AdamMoments(String kind) {
        this.kind = kind;
    }

    /** Counts a step and returns its number (1 for the first). */
    long nextStep() { return ++steps; }

    /** {@code m} and {@code v} of {@code p} (weights {@code w}), zero before its first update. */
    NDArray[] of(Parameter p, NDArray w) {
        return moments.computeIfAbsent(p, k -> new NDArray[] {w.zerosLike(), w.zerosLike()});
    }

    /** The step count, then per parameter position: no moments yet, or {@code m} and {@code v}. */
    void write(DataOutput out, List<Parameter> parameters) throws IOException {
        OptimizerState.writeStepAndMoments(out, kind, parameters, steps, moments);
    }

    void read(DataInput in, List<Parameter> parameters, String what) throws IOException {
        Map<Parameter, NDArray[]> restored = new IdentityHashMap<>();
        long saved = OptimizerState.readStepAndMoments(in, kind, parameters, what, 2, restored);
        close();
        moments.putAll(restored);
        steps = saved;
    }

    @Override
    public void close() {
        moments.values().forEach(a -> { a[0].close(); a[1].close(); });
        moments.clear();
    }
}
