package org.revbench.rev;

/** How a {@link ReversibleNeuronNode} trains. */
public enum BackwardMode {
    /** Plain autograd over Eq. 3-8: every intermediate of every step is kept. The reference. */
    AUTOGRAD,
    /**
     * The usual reversible backward (revnode Fig. 3b): keep only the output and the last potential; per step, from
     * the last backwards, reconstruct the step's input and previous potential (Eq. 9-12), re-run the step's forward
     * (Eq. 3-8) with recording on and back-propagate through it ({@link ForwardRerunBackward}).
     */
    FORWARD_RERUN,
    /**
     * the reversible node paper's inverse-gradient backward (Sec. 4, Fig. 3c): keep the same, reconstruct per step, and take the
     * step's vector-Jacobian product in closed form from the values the inverse computation produced (the membrane
     * potentials {@code M_i} and outputs {@code Y_i}); the forward is never re-run ({@link InverseGradientBackward}).
     */
    INVERSE_GRADIENT
}
