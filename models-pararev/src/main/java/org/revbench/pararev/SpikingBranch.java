package org.revbench.pararev;

import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.nn.Sequential;
import org.revbench.core.nn.SpikingLayers;

/** F or G of a block: neuron -> conv3x3 -> BN -> neuron -> conv3x3 -> BN on one half of the channels (36p^2/2 + 4p). */
final class SpikingBranch {

    private SpikingBranch() {}

    static Sequential of(NeuronSpec neuron, int halfWidth) {
        return new Sequential()
                .add("a", SpikingLayers.spikeConvBn(neuron, halfWidth, halfWidth, 3, 1))
                .add("b", SpikingLayers.spikeConvBn(neuron, halfWidth, halfWidth, 3, 1));
    }
}
