package org.revbench.core.nn;

/**
 * Seeds a layer draws once per training forward (a reversible stage's per-block seeds, replayed in its recompute).
 * Where the stream stands is training state like the parameters: a checkpoint saves it, so that a resumed run
 * draws the seeds (and so the dropout masks) an uninterrupted run draws.
 */
public interface SeedStream {

    /** Training forwards that drew from the stream so far. */
    long position();

    /** Puts the stream where it stands after {@code position} training forwards from its start. */
    void seek(long position);
}
