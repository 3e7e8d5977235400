package org.revbench.core.baseline;

import java.util.List;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelProvider;
import org.revbench.core.neuron.NeuronSpec;
import org.revbench.core.neuron.Surrogates;

/**
 * Registers the MS-ResNet baselines. They stay in core as shared baselines: ParaRevSNN compares RevSResNet and
 * ParaRevSNN with them and T-RevSNN its ImageNet models, so they belong to no one paper.
 */
public final class BaselineModels implements ModelProvider {

    static final String PAPER = "MS-ResNet baseline (Hu et al.), as in the RevSNN code that ParaRevSNN and T-RevSNN compare with";

    /** IF with ATan(2): the CIFAR and ImageNet MS-ResNets of the RevSNN public code. */
    private static final NeuronSpec IF_ATAN2 = NeuronSpec.integrateAndFire(Surrogates.atan(2));

    /** LIF tau 1.5 with Sigmoid(4): its DVS MS-ResNet. */
    private static final NeuronSpec LIF_SIGMOID4 = NeuronSpec.leaky(1.5, Surrogates.sigmoid(4));

    @Override
    public List<ModelDefinition> models() {
        InputSpec cifar = new InputSpec(3, 32, 32, false);
        InputSpec dvs = new InputSpec(2, 128, 128, true);
        InputSpec imagenet = new InputSpec(3, 224, 224, false);
        java.util.List<ModelDefinition> list = new java.util.ArrayList<>(List.of(
                def("ms-resnet18", "MS-ResNet18 for CIFAR: IF + ATan(2), blocks [2,2,2,2], T 4", cifar,
                        MsResNet.cifar(new int[] {2, 2, 2, 2}), IF_ATAN2, 100, 4),
                def("ms-resnet34", "MS-ResNet34 for CIFAR: IF + ATan(2), blocks [3,4,6,3], T 4", cifar,
                        MsResNet.cifar(new int[] {3, 4, 6, 3}), IF_ATAN2, 100, 4),
                def("ms-resnet34-imagenet", "MS-ResNet34 for ImageNet (3x224x224): stem conv7x7 s2 + BN + max-pool, IF + ATan(2),"
                        + " blocks [3,4,6,3], 1000 classes, T 4 (T-RevSNN Table 2 runs it at T 6)", imagenet,
                        MsResNet.imagenet(new int[] {3, 4, 6, 3}), IF_ATAN2, 1000, 4),
                def("ms-resnet20-dvs", "MS-ResNet20 for DVS (2x128x128 frames): LIF(1.5) + Sigmoid(4), 16/32/64 x [3,3,3], T 10",
                        dvs, MsResNet.dvs20(), LIF_SIGMOID4, 10, 10)));
        // Depth-comparable baselines for ParaRevSNN's Figure 3 (37-165 layers). Not from a paper: depth
        // 2 + 2 * sum(blocks), extra blocks in the third stage as ResNets grow, to set MS-ResNet's memory growth
        // beside the reversible models' at about the same depth.
        for (int[] b : new int[][] {{3, 8, 18, 4}, {3, 8, 40, 6}, {3, 8, 62, 8}}) {
            int depth = 2 + 2 * java.util.Arrays.stream(b).sum();
            list.add(def("ms-resnet" + depth, "MS-ResNet" + depth + " for CIFAR (depth sweep baseline): blocks "
                    + java.util.Arrays.toString(b), cifar, MsResNet.cifar(b), IF_ATAN2, 100, 4));
        }
        // Activation checkpointing of the same MS-ResNets (the head-to-head study of memory-saving methods): the
        // standard alternative to reversibility, which none of the papers compares against. Same layers, same
        // weights from one seed; only what a training step keeps differs.
        for (int[] b : new int[][] {{2, 2, 2, 2}, {3, 4, 6, 3}}) {
            int depth = 2 + 2 * java.util.Arrays.stream(b).sum();
            for (MsResNet.Checkpointing ck : List.of(MsResNet.Checkpointing.PER_STAGE, MsResNet.Checkpointing.sqrt(b))) {
                String id = "ms-resnet" + depth + "-checkpoint-" + (ck.blocksPerSegment() == 0 ? "stage" : "sqrt");
                list.add(ModelDefinition.of(id, PAPER, "MS-ResNet" + depth + " for CIFAR, blocks " + java.util.Arrays.toString(b)
                        + ", trained with activation checkpointing: " + ck.describe()
                        + (ck.blocksPerSegment() > 0 ? " (k = round(sqrt(" + java.util.Arrays.stream(b).sum() + ")))" : ""),
                        cifar, ModelOptions.of(100, 4), (manager, in, options) -> MsResNet.build(id, MsResNet.cifar(b),
                                IF_ATAN2, in, options, ck, manager)));
            }
        }
        return list;
    }

    private static ModelDefinition def(String id, String description, InputSpec input, MsResNet.Config config,
                                       NeuronSpec neuron, int classes, int timesteps) {
        return ModelDefinition.of(id, PAPER, description, input, ModelOptions.of(classes, timesteps),
                (manager, in, options) -> MsResNet.build(id, config, neuron, in, options, manager));
    }
}
