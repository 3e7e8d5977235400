package org.revbench.core.testmodels;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.model.AutogradSegment;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelProvider;
import org.revbench.core.model.Network;
import org.revbench.core.model.Segment;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.neuron.Surrogates;
import org.revbench.core.nn.Dropout;
import org.revbench.core.nn.Linear;
import org.revbench.core.nn.Pooling;
import org.revbench.core.nn.Sequential;
import org.revbench.core.nn.SpikingLayers;
import org.revbench.core.nn.TimeLayers;
import org.revbench.core.reversible.Coupling;
import org.revbench.core.reversible.PreludedStage;
import org.revbench.core.reversible.ReversibleStage;
import org.revbench.core.reversible.SequentialCoupling;

/**
 * A small network that mixes autograd parts with one reversible stage, registered for core's own tests only
 * (the real reversible models live in the models modules): stem conv-BN and repeat over T as the prelude of a
 * stage of sequential couplings with spiking conv-BN F and G, head.
 */
public final class TestModels implements ModelProvider {

    public static final String ID = "test-reversible";
    static final int WIDTH = 32;
    static final int BLOCKS = 6;
    public static final InputSpec INPUT = new InputSpec(3, 16, 16, false);

    @Override
    public List<ModelDefinition> models() {
        return List.of(new ModelDefinition() {
            @Override
            public String id() { return ID; }

            @Override
            public String paper() { return "core test model"; }

            @Override
            public String description() { return "stem + " + BLOCKS + " sequential couplings (width " + WIDTH + ") + head"; }

            @Override
            public InputSpec input() { return INPUT; }

            @Override
            public ModelOptions defaults() { return ModelOptions.of(10, 4); }

            @Override
            public Network build(NDManager manager, ModelOptions options) {
                return TestModels.build(manager, options, 0);
            }
        });
    }

    /**
     * The test model; with {@code dropout} above 0 every F and G of the reversible stage ends in dropout (random
     * masks the stage's per-block seeds must replay).
     */
    public static Network build(NDManager manager, ModelOptions options, double dropout) {
        NeuronSpec neuron = NeuronSpec.integrateAndFire(Surrogates.atan(2));
        Sequential stem = SpikingLayers.convBn(3, WIDTH, 3, 1).add("encode", TimeLayers.repeat());
        List<Coupling> blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            blocks.add(new SequentialCoupling(function(neuron, dropout), function(neuron, dropout)));
        }
        Sequential head = new Sequential().add("sn", neuron.create()).add("pool", Pooling.globalAvg())
                .add("fc", new Linear(WIDTH, options.classes())).add("mean", TimeLayers.mean());
        // the stem is the stage's prelude: recomputed in backward, so only the stage output is kept
        List<Segment> segments = List.of(new PreludedStage(stem, new ReversibleStage(blocks, options.seed())),
                new AutogradSegment(head));
        return new SegmentedNetwork(ID, options, INPUT, segments, manager);
    }

    private static Sequential function(NeuronSpec neuron, double dropout) {
        Sequential f = new Sequential().add("a", SpikingLayers.spikeConvBn(neuron, WIDTH / 2, WIDTH / 2, 3, 1))
                .add("b", SpikingLayers.spikeConvBn(neuron, WIDTH / 2, WIDTH / 2, 3, 1));
        return dropout > 0 ? f.add("drop", new Dropout(dropout)) : f;
    }
}
