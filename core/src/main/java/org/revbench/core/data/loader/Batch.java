package org.revbench.core.data.loader;

import ai.djl.ndarray.NDArray;

/**
 * A batch as tensors, made on the consumer's thread: input (float32), labels (int64 {@code [B]}) and, with
 * mixup, soft targets (float32 {@code [B, K]}, else null). Closing it closes the tensors.
 */
public record Batch(NDArray input, NDArray labels, NDArray targets, HostBatch host) implements AutoCloseable {

    @Override
    public void close() {
        input.close();
        labels.close();
        if (targets != null) {
            targets.close();
        }
    }
}
