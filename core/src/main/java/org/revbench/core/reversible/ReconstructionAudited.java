package org.revbench.core.reversible;

/**
 * A layer whose inverse can check itself element by element: while a {@link ReconstructionTally} is set, every
 * {@code forward} also reconstructs its input from its output (as the memory-saving backward would) and adds the
 * comparison to the tally. {@link ReconstructionTally#attach} sets it on every such layer of a network.
 */
public interface ReconstructionAudited {

    /** Starts ({@code tally} non-null) or stops ({@code null}) the per-forward reconstruction check. */
    void setReconstructionTally(ReconstructionTally tally);
}
