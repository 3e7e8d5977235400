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

    /** IF with ATan(2): the CIFAR models of RevSResNet and MS-ResNet. */
    public static NeuronSpec cifarDefault() { return new NeuronSpec("if", 0, 1.0, Surrogates.atan(2)); }

    /** LIF tau 1.5 with Sigmoid(4): the DVS models. */
    public static NeuronSpec dvsDefault() { return new NeuronSpec("lif", 1.5, 1.0, Surrogates.sigmoid(4)); }

    public SpikingNeuron create() {
        return kind.equals("if") ? new IfNeuron(threshold, surrogate) : new LifNeuron(tau, threshold, surrogate);
    }

    @Override
    public String toString() {
        return (kind.equals("if") ? "IF" : "LIF(tau=" + tau + ")") + ", " + surrogate.name();
    }
}
