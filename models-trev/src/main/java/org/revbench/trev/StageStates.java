package org.revbench.trev;

import ai.djl.ndarray.NDArray;

/**
 * The four stage states {@code c_0..c_3} of one time step (the turn-on neurons' potentials, {@link TurnOnTransfer}),
 * each {@code [B, C_l, H_l, W_l]}. Owns its tensors.
 */
public final class StageStates implements AutoCloseable {

    /** Stages per sub-network. */
    public static final int STAGES = 4;

    private final NDArray[] c;

    public StageStates(NDArray[] c) {
        if (c.length != STAGES) {
            throw new IllegalArgumentException("expected " + STAGES + " stage states, got " + c.length);
        }
        this.c = c.clone();
    }

    public NDArray get(int level) { return c[level]; }

    /** Bytes held (the kept-memory accounting of the memory-saving pass). */
    public long bytes() {
        long n = 0;
        for (NDArray a : c) {
            n += a.getShape().size() * a.getDataType().getNumOfBytes();
        }
        return n;
    }

    @Override
    public void close() {
        for (NDArray a : c) {
            if (a != null) {
                a.close();
            }
        }
    }
}
