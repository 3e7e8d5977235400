package org.revbench.rev;

import java.util.ArrayList;
import java.util.List;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelProvider;

/**
 * Registers the reversible node paper's networks ({@link RevNodeNets} defines them): {@code vgg11|13|16|19} and
 * {@code resnet18|19|34|50|101}, each as {@code -lif} (plain LIF node), {@code -sjlif} (the same node with SpikingJelly's default reset on the graph, Figure 4's plain node), {@code -revnode} (reversible node) and
 * {@code -identity} (no node: the memory reference of Figure 4, not a model of the paper); and the 144-wide
 * classifier variants of the group ablation (Figure 6 right), {@code vgg13-revnode-w144}, {@code vgg16-revnode-w144}
 * and their LIF twins. Defaults: CIFAR-10 (10 classes), T 4 (Table 1).
 */
public final class RevNodeModels implements ModelProvider {

    static final String PAPER = "Reversible spiking neuron node (Lei et al.)";

    @Override
    public List<ModelDefinition> models() {
        InputSpec cifar = new InputSpec(3, 32, 32, false);
        List<ModelDefinition> m = new ArrayList<>();
        Object[][] vggs = {{"vgg11", RevNodeNets.VGG11}, {"vgg13", RevNodeNets.VGG13}, {"vgg16", RevNodeNets.VGG16},
            {"vgg19", RevNodeNets.VGG19}};
        for (NodeKind k : NodeKind.values()) {
            for (Object[] v : vggs) {
                String name = (String) v[0];
                int[] cfg = (int[]) v[1];
                String id = name + "-" + k.tag();
                m.add(ModelDefinition.of(id, PAPER, name.toUpperCase() + " for CIFAR with " + describe(k)
                        + " (BN, avg-pool before the node, classifier 512-hidden-classes, hidden 128)", cifar,
                        ModelOptions.of(10, 4), (manager, in, o) -> RevNodeNets.vgg(id, cfg, k, in, o, manager)));
            }
            Object[][] resnets = {{"resnet18", RevNodeNets.RESNET18, "basic blocks [2,2,2,2]"},
                {"resnet19", RevNodeNets.RESNET19, "tdBN ResNet-19: basic blocks 128/256/512 x [3,3,2], head 512-256-classes"},
                {"resnet34", RevNodeNets.RESNET34, "basic blocks [3,4,6,3]"},
                {"resnet50", RevNodeNets.RESNET50, "bottleneck blocks [3,4,6,3]"},
                {"resnet101", RevNodeNets.RESNET101, "bottleneck blocks [3,4,23,3]"}};
            for (Object[] r : resnets) {
                String id = r[0] + "-" + k.tag();
                RevNodeNets.ResNetConfig c = (RevNodeNets.ResNetConfig) r[1];
                m.add(ModelDefinition.of(id, PAPER, ((String) r[0]).replace("resnet", "ResNet-") + " for CIFAR with "
                        + describe(k) + ": " + r[2], cifar, ModelOptions.of(10, 4),
                        (manager, in, o) -> RevNodeNets.resnet(id, c, k, in, o, manager)));
            }
        }
        // Figure 5 (a): the reversible node with the usual reversible backward (reconstruct, then re-run the forward)
        for (Object[] v : vggs) {
            String id = v[0] + "-revnode-rerun";
            int[] cfg = (int[]) v[1];
            m.add(ModelDefinition.of(id, PAPER, ((String) v[0]).toUpperCase() + " with reversible nodes whose backward"
                    + " reconstructs each step and re-runs its forward (Figure 5 (a); -revnode is (b), the inverse gradient)",
                    cifar, ModelOptions.of(10, 4).with(RevNodeNets.OPT_BACKWARD, "forward-rerun"),
                    (manager, in, o) -> RevNodeNets.vgg(id, cfg, NodeKind.REVNODE, in, o, manager)));
        }
        for (NodeKind k : new NodeKind[] {NodeKind.LIF, NodeKind.REVNODE}) {
            for (Object[] v : new Object[][] {{"vgg13", RevNodeNets.VGG13}, {"vgg16", RevNodeNets.VGG16}}) {
                String id = v[0] + "-" + k.tag() + "-w144";
                int[] cfg = (int[]) v[1];
                m.add(ModelDefinition.of(id, PAPER, ((String) v[0]).toUpperCase() + " with " + describe(k)
                        + ", classifier hidden layer widened from 128 to 144 (Figure 6 right; option groups: 2..144)", cifar,
                        ModelOptions.of(100, 4).with(RevNodeNets.OPT_HIDDEN, "144"),
                        (manager, in, o) -> RevNodeNets.vgg(id, cfg, k, in, o, manager)));
            }
        }
        // Figure 6 left: alpha 0.05..0.8 on the four VGGs (CIFAR-100); right: group count on the 144-wide VGG-13/16
        for (Object[] v : vggs) {
            int[] cfg = (int[]) v[1];
            for (String a : ALPHAS) {
                String id = v[0] + "-revnode-a" + a.replace(".", "");
                m.add(ModelDefinition.of(id, PAPER, ((String) v[0]).toUpperCase() + " with reversible nodes, alpha " + a
                        + " (Figure 6 left)", cifar, ModelOptions.of(100, 4).with(RevNodeNets.OPT_ALPHA, a),
                        (manager, in, o) -> RevNodeNets.vgg(id, cfg, NodeKind.REVNODE, in, o, manager)));
            }
        }
        for (Object[] v : new Object[][] {{"vgg13", RevNodeNets.VGG13}, {"vgg16", RevNodeNets.VGG16}}) {
            int[] cfg = (int[]) v[1];
            for (int g : GROUPS) {
                String id = v[0] + "-revnode-w144-g" + g;
                m.add(ModelDefinition.of(id, PAPER, ((String) v[0]).toUpperCase() + " 144-wide classifier, reversible nodes, "
                        + g + " groups in the classifier's node (Figure 6 right)", cifar,
                        ModelOptions.of(100, 4).with(RevNodeNets.OPT_HIDDEN, "144").with(RevNodeNets.OPT_GROUPS, Integer.toString(g)),
                        (manager, in, o) -> RevNodeNets.vgg(id, cfg, NodeKind.REVNODE, in, o, manager)));
            }
        }
        return m;
    }

    /** Figure 6 left's alpha values (0.05 to 0.8; the paper names the range, these are the points built). */
    static final String[] ALPHAS = {"0.05", "0.1", "0.15", "0.2", "0.4", "0.8"};
    /** Figure 6 right's group counts. */
    static final int[] GROUPS = {2, 3, 6, 12, 24, 48, 72, 144};

    private static String describe(NodeKind k) {
        return switch (k) {
            case LIF -> "plain LIF nodes (tau 2)";
            case SJ_LIF -> "plain LIF nodes (tau 2) with SpikingJelly's default reset on the graph (Figure 4's plain node)";
            case REVNODE -> "reversible nodes";
            case IDENTITY -> "no nodes (identity; memory reference)";
        };
    }
}
