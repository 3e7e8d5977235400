package org.revbench.core.neuron;

import ai.djl.ndarray.NDArray;

/** Integrate-and-fire: charge {@code v = v + x}. The CIFAR models of ParaRevSNN use it with {@code atan(2)}. */
public final class IfNeuron extends SpikingNeuron {

    public IfNeuron(Surrogate surrogate) {
        super(1.0, surrogate);
    }

    public IfNeuron(double threshold, Surrogate surrogate) {
        super(threshold, surrogate);
    }

    @Override
    protected NDArray charge(NDArray v, NDArray x) {
        // v == null is the first step (v = 0). Not duplicate(): DJL's clone runs under NoGradGuard and cuts the graph.
        return v == null ? x.reshape(x.getShape()) : v.add(x);
    }

    @Override
    public String kind() { return "IF"; }
}
