package org.revbench.core.neuron;

import ai.djl.ndarray.NDArray;

/**
 * A surrogate gradient: the spike's forward is the exact Heaviside step, its backward is {@link #derivative}.
 * Implemented, as in SpikingJelly, by a small named function: a primitive {@code g} whose derivative is the
 * surrogate; the spike function then computes {@code H(x) + (g(x) - stopGradient(g(x)))}.
 */
public interface Surrogate {

    /** Short name with its hyper-parameter, e.g. {@code atan(2.0)}. */
    String name();

    /**
     * Recorded computation of a function whose derivative is the surrogate. Its value is never used (it
     * cancels), only its gradient. Scalars must be owned constants (see {@code Tensors}).
     */
    NDArray primitive(NDArray x);

    /** The surrogate derivative at {@code x}, analytically (tests and documentation). */
    double derivative(double x);

    /**
     * The surrogate derivative at every element of {@code x}, as a new tensor, computed without recording (for
     * hand-written backward passes such as the reversible node's inverse-gradient backward). The default takes it
     * from {@link #primitive} by autograd; the surrogates in {@link Surrogates} override it with closed forms.
     */
    default NDArray derivative(NDArray x) {
        boolean before = org.revbench.core.engine.Autograd.setRecording(true);
        try (NDArray leaf = org.revbench.core.engine.Autograd.detachedLeaf(x);
             NDArray g = primitive(leaf);
             NDArray ones = g.onesLike()) {
            org.revbench.core.engine.Autograd.backward(g, ones);
            return org.revbench.core.engine.Autograd.gradient(leaf);
        } finally {
            org.revbench.core.engine.Autograd.setRecording(before);
        }
    }
}
