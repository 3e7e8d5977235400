package org.revbench.core.data.loader;

/** One sample as a batch takes it: row-major values ({@code [C, H, W]} or {@code [T, C, H, W]}) and its class. */
public record Sample(float[] data, int label) {}
