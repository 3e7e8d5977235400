package org.revbench.pararev;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.model.AutogradSegment;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.model.Segment;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.nn.Layer;
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
 * Builds RevSResNet (sequential coupling, ParaRevSNN Eq. 7-8, through core's {@link ReversibleStage}) and ParaRevSNN
 * (parallel coupling with fused G_i / F_{i+1}, Eq. 9-11, {@link ParallelReversibleStage}) from one
 * {@link RevResNetSpec}: the two differ only in their stages, so any difference measured between them is the
 * coupling's.
 */
public final class RevResNets {

    /** Which coupling the stages use. */
    public enum CouplingKind {
        /** RevSResNet (Eq. 7-8). */
        SEQUENTIAL,
        /** ParaRevSNN (Eq. 9-11) with the fused module M. */
        PARALLEL,
        /** The fusion ablation: ParaRevSNN's coupling with G_i and F_{i+1} run one after the other. */
        PARALLEL_UNFUSED
    }

    private RevResNets() {}

    public static Network build(String id, RevResNetSpec spec, CouplingKind coupling, InputSpec input, ModelOptions options,
                                NDManager manager) {
        List<Segment> segments = new ArrayList<>();
        int full = 2 * spec.halfWidths()[0];
        Sequential stem = SpikingLayers.convBn(input.channels(), spec.stemOut(), spec.stemKernel(), spec.stemStride());
        switch (spec.stemPool()) {
            case AVG -> stem.add("pool", Pooling.avg(3, 2, 1));
            case MAX -> stem.add("pool", Pooling.max(3, 2, 1));
            case NONE -> { }
        }
        if (!input.events()) {
            stem.add("encode", TimeLayers.repeat()); // the stem runs once on the image, then repeats over T
        }
        if (spec.stemOut() != full) {
            throw new IllegalArgumentException("stem width " + spec.stemOut() + " must equal the first stage's " + full);
        }
        for (int s = 0; s < spec.blocks().length; s++) {
            int half = spec.halfWidths()[s];
            // each stage with the layers that feed it (the stem, or the down-sampling from the previous stage),
            // so that training keeps only the stages' outputs
            Layer prelude = s == 0 ? stem : transition(spec, 2 * spec.halfWidths()[s - 1], 2 * half);
            Segment stage = coupling == CouplingKind.SEQUENTIAL
                    ? sequentialStage(spec, half, spec.blocks()[s], options.seed() + s)
                    : parallelStage(spec, half, spec.blocks()[s], coupling == CouplingKind.PARALLEL);
            segments.add(new PreludedStage(prelude, stage));
        }
        int last = 2 * spec.halfWidths()[spec.halfWidths().length - 1];
        Sequential head = new Sequential()
                .add("sn", spec.neuron().create())
                .add("pool", Pooling.globalAvg())
                .add("fc", new Linear(last, options.classes()))
                .add("mean", TimeLayers.mean());
        segments.add(new AutogradSegment(head));
        return new SegmentedNetwork(id, options, input, segments, manager);
    }

    /** Down-sampling between stages: neuron -> AvgPool(3, s2, p1) -> conv1x1 -> BN. */
    static Layer transition(RevResNetSpec spec, int in, int out) {
        return new Sequential()
                .add("sn", spec.neuron().create())
                .add("pool", Pooling.avg(3, 2, 1))
                .add("conv", org.revbench.core.nn.Conv2d.of(in, out, 1, 1, 0))
                .add("bn", new org.revbench.core.nn.BatchNorm2d(out));
    }

    static Segment sequentialStage(RevResNetSpec spec, int half, int blocks, long seed) {
        List<Coupling> list = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            list.add(new SequentialCoupling(SpikingBranch.of(spec.neuron(), half), SpikingBranch.of(spec.neuron(), half)));
        }
        return new ReversibleStage(list, seed);
    }

    static Segment parallelStage(RevResNetSpec spec, int half, int blocks, boolean fusedModules) {
        List<BranchPair> fused = new ArrayList<>();
        for (int b = 0; b < blocks - 1; b++) {
            fused.add(fusedModules ? new FusedBranches(spec.neuron(), half) : new SeparateBranches(spec.neuron(), half));
        }
        return new ParallelReversibleStage(SpikingBranch.of(spec.neuron(), half), fused, SpikingBranch.of(spec.neuron(), half));
    }
}
