package org.revbench.core.neuron;

import java.util.Locale;

/**
 * A neuron type as data: {@code if}, or {@code lif} with its tau, plus threshold and surrogate. Models receive one
 * of these and create a fresh neuron wherever their definition has one.
 */
public record NeuronSpec(String kind, double tau, double threshold, Surrogate surrogate) {

    public NeuronSpec {
        kind = kind.toLowerCase(Locale.ROOT);
        if (!kind.equals("if") && !kind.equals("lif")) {
            throw new IllegalArgumentException("neuron kind must be 'if' or 'lif', got '" + kind + "'");
        }
    }

    /** Integrate-and-fire at threshold 1 with {@code surrogate}; a model's definition says which one it uses. */
    public static NeuronSpec integrateAndFire(Surrogate surrogate) { return new NeuronSpec("if", 0, 1.0, surrogate); }

    /** Leaky integrate-and-fire with {@code tau} at threshold 1 with {@code surrogate}. */
    public static NeuronSpec leaky(double tau, Surrogate surrogate) { return new NeuronSpec("lif", tau, 1.0, surrogate); }

    public SpikingNeuron create() {
        return kind.equals("if") ? new IfNeuron(threshold, surrogate) : new LifNeuron(tau, threshold, surrogate);
    }

    @Override
    public String toString() {
        return (kind.equals("if") ? "IF" : "LIF(tau=" + tau + ")") + ", " + surrogate.name();
    }
}
