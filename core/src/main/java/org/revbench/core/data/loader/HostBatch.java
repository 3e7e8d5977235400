package org.revbench.core.data.loader;

/**
 * A batch in Java arrays, as the loader thread builds it.
 *
 * @param data row-major values of {@code shape} ({@code [B, C, H, W]} or {@code [T, B, C, H, W]})
 * @param shape the batch's shape
 * @param labels class indices {@code [B]}
 * @param targets soft targets {@code [B, K]} from mixup, or null without mixup
 * @param indices the samples' indices in the source, in batch order
 * @param epoch the epoch
 * @param number the batch's number within the epoch, from 0
 */
public record HostBatch(float[] data, long[] shape, long[] labels, float[] targets, int[] indices, int epoch,
                        int number) {

    public int size() { return labels.length; }
}
