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
}
