package org.revbench.core.nn;

import org.revbench.core.neuron.NeuronSpec;

/** The spike -> conv -> BatchNorm unit that MS-ResNet-style blocks are made of. */
public final class SpikingLayers {

    private SpikingLayers() {}

    /** neuron -> conv(k, stride, pad k/2, no bias) -> BatchNorm. */
    public static Sequential spikeConvBn(NeuronSpec neuron, int in, int out, int kernel, int stride) {
        return new Sequential()
                .add("sn", neuron.create())
                .add("conv", Conv2d.of(in, out, kernel, stride, kernel / 2))
                .add("bn", new BatchNorm2d(out));
    }

    /** conv(k, stride, pad k/2, no bias) -> BatchNorm, without a neuron (a stem). */
    public static Sequential convBn(int in, int out, int kernel, int stride) {
        return new Sequential()
                .add("conv", Conv2d.of(in, out, kernel, stride, kernel / 2))
                .add("bn", new BatchNorm2d(out));
    }
}
