package org.revbench.pararev;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelProvider;

/** Registers RevSResNet and ParaRevSNN (ParaRevSNN and its baseline), including Figure 3's depths and Table 5's placements. */
public final class ParaRevModels implements ModelProvider {

    static final String PARAREV = "ParaRevSNN (Xu et al., 2025)";
    static final String REVS = "RevSResNet (Zhang & Zhang, AAAI 2024), baseline of ParaRevSNN";

    /**
     * Figure 3's depth sweep, N = 5 + 4 * sum(blocks): the stage splits are my choice (the paper gives only N),
     * spread as ResNets do, most blocks in the third stage: 37 = [2,2,2,2], 69 = [3,4,6,3], 117 = [3,4,18,3],
     * 165 = [3,8,24,5].
     */
    static final int[][] DEPTHS = {{2, 2, 2, 2}, {3, 4, 6, 3}, {3, 4, 18, 3}, {3, 8, 24, 5}};

    /** Table 5's ResNet25 placements. */
    static final int[][] PLACEMENTS = {{2, 1, 1, 1}, {1, 2, 1, 1}, {1, 1, 2, 1}, {1, 1, 1, 2}};

    @Override
    public List<ModelDefinition> models() {
        InputSpec cifar = new InputSpec(3, 32, 32, false);
        InputSpec dvs = new InputSpec(2, 128, 128, true);
        InputSpec imagenet = new InputSpec(3, 224, 224, false);
        List<ModelDefinition> m = new ArrayList<>();
        m.add(def("revsresnet21", REVS, "RevSResNet21: sequential coupling, blocks [1,1,1,1], IF + ATan(2), T 4", cifar,
                RevResNetSpec.cifar(1, 1, 1, 1), RevResNets.CouplingKind.SEQUENTIAL, 100, 4));
        m.add(def("revsresnet37", REVS, "RevSResNet37 as ParaRevSNN's Table 4 states it: blocks [2,2,2,2]", cifar,
                RevResNetSpec.cifar(2, 2, 2, 2), RevResNets.CouplingKind.SEQUENTIAL, 100, 4));
        m.add(def("revsresnet37-code", REVS, "RevSResNet37 as the public code builds it: blocks [1,2,3,2]", cifar,
                RevResNetSpec.cifar(1, 2, 3, 2), RevResNets.CouplingKind.SEQUENTIAL, 100, 4));
        // T-RevSNN measures S-RevSNN as "Rev-ResNet-37" on ImageNet (Tables 2 and 6, 24.4M parameters): the public
        // code's blocks after an ImageNet stem (RevResNetSpec#imagenet)
        m.add(def("revsresnet37-imagenet", REVS, "RevSResNet37 for ImageNet (3x224x224): stem conv7x7 s2 + BN + max-pool,"
                        + " the public code's blocks [1,2,3,2], 1000 classes, T 4 (T-RevSNN's S-RevSNN Rev-ResNet-37)", imagenet,
                RevResNetSpec.imagenet(1, 2, 3, 2), RevResNets.CouplingKind.SEQUENTIAL, 1000, 4));
        m.add(def("revsresnet24-dvs", REVS, "RevSResNet24 for DVS: half widths 16/32/48, blocks [1,2,2], LIF(1.5) + Sigmoid(4), T 10",
                dvs, RevResNetSpec.dvs(1, 2, 2), RevResNets.CouplingKind.SEQUENTIAL, 10, 10));
        m.add(def("pararevsnn21", PARAREV, "ParaRevSNN21: parallel coupling with fused G_i/F_i+1, blocks [1,1,1,1]", cifar,
                RevResNetSpec.cifar(1, 1, 1, 1), RevResNets.CouplingKind.PARALLEL, 100, 4));
        m.add(def("pararevsnn37", PARAREV, "ParaRevSNN37: parallel coupling with fused G_i/F_i+1, blocks [2,2,2,2]", cifar,
                RevResNetSpec.cifar(2, 2, 2, 2), RevResNets.CouplingKind.PARALLEL, 100, 4));
        // the fusion ablation: same coupling, same function and parameter count, G_i and F_{i+1} run one by one
        m.add(def("pararevsnn21-unfused", PARAREV, "ParaRevSNN21 without the fused module (ablation): G_i and F_i+1 run one after the other",
                cifar, RevResNetSpec.cifar(1, 1, 1, 1), RevResNets.CouplingKind.PARALLEL_UNFUSED, 100, 4));
        m.add(def("pararevsnn37-unfused", PARAREV, "ParaRevSNN37 without the fused module (ablation): G_i and F_i+1 run one after the other",
                cifar, RevResNetSpec.cifar(2, 2, 2, 2), RevResNets.CouplingKind.PARALLEL_UNFUSED, 100, 4));
        m.add(def("pararevsnn24-dvs", PARAREV, "ParaRevSNN24 for DVS: blocks [1,2,2], LIF(1.5) + Sigmoid(4), T 10", dvs,
                RevResNetSpec.dvs(1, 2, 2), RevResNets.CouplingKind.PARALLEL, 10, 10));
        for (int[] b : DEPTHS) {
            RevResNetSpec spec = RevResNetSpec.cifar(b);
            if (spec.depth() == 37) {
                continue; // the 37-layer models are registered above
            }
            m.add(def("revsresnet" + spec.depth(), REVS, "Figure 3 depth sweep: blocks " + Arrays.toString(b), cifar, spec,
                    RevResNets.CouplingKind.SEQUENTIAL, 100, 4));
            m.add(def("pararevsnn" + spec.depth(), PARAREV, "Figure 3 depth sweep: blocks " + Arrays.toString(b), cifar, spec,
                    RevResNets.CouplingKind.PARALLEL, 100, 4));
        }
        for (int[] b : PLACEMENTS) {
            String tag = "" + b[0] + b[1] + b[2] + b[3];
            m.add(def("revsresnet25-" + tag, REVS, "Table 5 placement " + Arrays.toString(b), cifar, RevResNetSpec.cifar(b),
                    RevResNets.CouplingKind.SEQUENTIAL, 100, 4));
            m.add(def("pararevsnn25-" + tag, PARAREV, "Table 5 placement " + Arrays.toString(b), cifar, RevResNetSpec.cifar(b),
                    RevResNets.CouplingKind.PARALLEL, 100, 4));
        }
        return m;
    }

    private static ModelDefinition def(String id, String paper, String description, InputSpec input, RevResNetSpec spec,
                                       RevResNets.CouplingKind coupling, int classes, int timesteps) {
        return ModelDefinition.of(id, paper, description + " (" + spec.depth() + " layers)", input,
                ModelOptions.of(classes, timesteps),
                (manager, in, options) -> RevResNets.build(id, spec, coupling, in, options, manager));
    }
}
