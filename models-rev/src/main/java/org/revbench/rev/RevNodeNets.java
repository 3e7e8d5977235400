package org.revbench.rev;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.model.AutogradSegment;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.model.Segment;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.neuron.LifNeuron;
import org.revbench.core.nn.BatchNorm2d;
import org.revbench.core.nn.Conv2d;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Linear;
import org.revbench.core.nn.Module;
import org.revbench.core.nn.Pooling;
import org.revbench.core.nn.Residual;
import org.revbench.core.nn.Sequential;
import org.revbench.core.nn.TimeLayers;

/**
 * The spiking VGG and ResNet families of the reversible node paper's Figures 4-6 and Table 1, for 32x32 CIFAR input, each with the
 * plain LIF node, the reversible node or no node ({@link NodeKind}). The reversible node paper names the architectures but does not
 * define them; these are the definitions used here (parameter counts are in {@code RevNodeModelsTest}).
 *
 * <h2>VGG-11/13/16/19</h2>
 * Simonyan &amp; Zisserman's configurations A, B, D, E: convolution widths
 * {@code 11: 64 M 128 M 256 256 M 512 512 M 512 512 M}, {@code 13: 64 64 M 128 128 M 256 256 M 512 512 M 512 512 M},
 * {@code 16: 64 64 M 128 128 M 256 256 256 M 512 512 512 M 512 512 512 M},
 * {@code 19: 64 64 M 128 128 M 256 x4 M 512 x4 M 512 x4 M}. Every convolution is conv3x3 (pad 1, no bias) -> BatchNorm
 * -> node; {@code M} is a 2x2 average pool, placed <b>before</b> the node of the convolution it follows (conv -> BN ->
 * pool -> node), so that every node's output is exactly the next layer's input (with the pool after the node, a
 * reversible node would have to keep its full-resolution output only for its own backward). The first conv -> BN runs
 * on the static image, whose output is then repeated over T (direct encoding, as in MS-ResNet; with event input,
 * {@code InputSpec#events}, it runs on every frame instead, as in every family here). After the fifth pool
 * (1x1) the map is flattened to 512 features, then the classifier: Linear(512, hidden) -> node -> Linear(hidden,
 * classes), logits averaged over T. {@code hidden} is 128 (revnode Sec. 5.4 speaks of fully connected layers of 128
 * activations; option {@code hidden}, 144 in the group ablation's modified networks).
 *
 * <h2>ResNet-18/34/50/101</h2>
 * He et al.'s CIFAR form with spiking nodes in the standard spiking-ResNet order (tdBN, TET): stem conv3x3 3->64 (no
 * bias) -> BN, repeated over T, -> node; four stages 64/128/256/512, strides 1/2/2/2; basic blocks [2,2,2,2] (18) and
 * [3,4,6,3] (34): {@code node(BN(conv3x3(node(BN(conv3x3(x))))) + shortcut(x))}; bottleneck blocks (expansion 4) [3,4,6,3]
 * (50) and [3,4,23,3] (101): conv1x1 -> BN -> node -> conv3x3(stride) -> BN -> node -> conv1x1 -> BN, plus shortcut,
 * then node. Shortcut: identity, or conv1x1(stride) -> BN where the shape changes. Head: global average pool ->
 * Linear(C, classes), averaged over T.
 *
 * <h2>ResNet-19</h2>
 * Zheng et al.'s (tdBN) ResNet-19: stem conv3x3 3->128 -> BN -> node; basic blocks 128 x3 (stride 1), 256 x3 (2),
 * 512 x2 (2); head: global average pool -> Linear(512, 256) -> node -> Linear(256, classes) ({@code hidden} 256).
 *
 * <h2>Nodes</h2>
 * Conv nodes split the last axis (the width) into 2 groups; the nodes after linear layers use {@code groups} (option
 * {@code groups}, default 2; it must divide {@code hidden}). Reversible nodes take {@code alpha} from the option
 * {@code alpha} (default 0.15), the rest from {@link ReversibleNodeSpec#defaults()}. LIF: {@link NodeKind#LIF}. With
 * the reversible node every node is its own segment ({@link NodeUnit}, {@link NodeResidualBlock}), so only the nodes'
 * last potentials are kept beyond what the layers keep; with LIF or no node the network is one autograd graph.
 */
public final class RevNodeNets {

    public static final String OPT_ALPHA = "alpha";
    public static final String OPT_GROUPS = "groups";
    public static final String OPT_HIDDEN = "hidden";
    /** The reversible nodes' memory-saving backward: {@code inverse-gradient} (default, revnode Sec. 4) or {@code forward-rerun}. */
    public static final String OPT_BACKWARD = "backward";
    /**
     * The inverse's limit on {@code |(1 - Y)(1 - 1/tau) + alpha|} ({@link NodeInverse}): default 0, the check off. In a
     * network some element among millions meets {@code Y = 1 + alpha tau/(tau - 1)} to float32 rounding sooner or later
     * (seen on VGG-19 at T 20, batch 2: {@code Y = 1.3000017}), and one such element would abort the whole step; that
     * element's reconstruction is then wrong (its gradient too), which the invertibility audit measures. Set e.g. 1e-6
     * to make it throw.
     */
    public static final String OPT_MIN_DENOMINATOR = "min_denominator";
    /**
     * Where the inverse does not throw, it warns (once per node, then counts) when {@code |D|} falls below this:
     * default {@link NodeInverse#DEFAULT_WARN_BELOW}; 0 switches the watch off.
     */
    public static final String OPT_WARN_BELOW = "warn_below";
    /**
     * The inverse's floor on {@code |D|} (default 0: off): below it the inverse divides by {@code +-floor}, so an
     * ill-conditioned element's reconstruction is wrong but finite. Off by default because any floor changes the
     * gradients of every element below it (a floor of 0.01 moved small test networks' gradients by 3 % to 600 %).
     * Note: in float32 at T 20 the reversible backward's gradients overflow anyway (the inverse amplifies rounding by
     * the product of {@code 1/|D|} over the steps, package notes), floor or not: VGG-19 at T 20 gives NaN weights after
     * one update.
     */
    public static final String OPT_GUARD = "inverse_guard";
    /**
     * Option: the most elements of one step the nodes' memory-saving backward handles at a time (whole samples;
     * {@link ReversibleNeuronNode#setReverseChunkElements}); 0 takes the whole batch. Default 65536.
     */
    public static final String OPT_REVERSE_CHUNK = "reverse_chunk_elements";

    static final int M = -1;
    static final int[] VGG11 = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    static final int[] VGG13 = {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    static final int[] VGG16 = {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
    static final int[] VGG19 = {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M};

    /** A ResNet as data. {@code hidden} 0: no hidden linear layer in the head. */
    public record ResNetConfig(int stem, int[] widths, int[] strides, int[] blocks, boolean bottleneck, int hidden) {}

    public static final ResNetConfig RESNET18 = new ResNetConfig(64, new int[] {64, 128, 256, 512}, new int[] {1, 2, 2, 2},
            new int[] {2, 2, 2, 2}, false, 0);
    public static final ResNetConfig RESNET34 = new ResNetConfig(64, new int[] {64, 128, 256, 512}, new int[] {1, 2, 2, 2},
            new int[] {3, 4, 6, 3}, false, 0);
    public static final ResNetConfig RESNET50 = new ResNetConfig(64, new int[] {64, 128, 256, 512}, new int[] {1, 2, 2, 2},
            new int[] {3, 4, 6, 3}, true, 0);
    public static final ResNetConfig RESNET101 = new ResNetConfig(64, new int[] {64, 128, 256, 512}, new int[] {1, 2, 2, 2},
            new int[] {3, 4, 23, 3}, true, 0);
    public static final ResNetConfig RESNET19 = new ResNetConfig(128, new int[] {128, 256, 512}, new int[] {1, 2, 2},
            new int[] {3, 3, 2}, false, 256);

    private RevNodeNets() {}

    /** Creates nodes of one kind; {@code features} true for a node after a linear layer. */
    private static final class Nodes {
        final NodeKind kind;
        final ReversibleNodeSpec conv;
        final ReversibleNodeSpec linear;
        final BackwardMode backward;
        final double minDenominator;
        final double guard;
        final long reverseChunk;
        final double warnBelow;
        private int built;

        Nodes(NodeKind kind, ModelOptions o) {
            this.kind = kind;
            ReversibleNodeSpec base = ReversibleNodeSpec.defaults()
                    .withAlpha(Double.parseDouble(o.extra().getOrDefault(OPT_ALPHA, Double.toString(ReversibleNodeSpec.defaults().alpha()))));
            this.conv = base;
            this.linear = base.withGroups(Integer.parseInt(o.extra().getOrDefault(OPT_GROUPS, "2")));
            this.minDenominator = Double.parseDouble(o.extra().getOrDefault(OPT_MIN_DENOMINATOR, "0"));
            this.guard = Double.parseDouble(o.extra().getOrDefault(OPT_GUARD, "0"));
            this.warnBelow = Double.parseDouble(o.extra().getOrDefault(OPT_WARN_BELOW, Double.toString(NodeInverse.DEFAULT_WARN_BELOW)));
            this.reverseChunk = Long.parseLong(o.extra().getOrDefault(OPT_REVERSE_CHUNK,
                    Long.toString(ReversibleNeuronNode.DEFAULT_REVERSE_CHUNK_ELEMENTS)));
            String b = o.extra().getOrDefault(OPT_BACKWARD, "inverse-gradient");
            this.backward = switch (b) {
                case "inverse-gradient" -> BackwardMode.INVERSE_GRADIENT;
                case "forward-rerun" -> BackwardMode.FORWARD_RERUN;
                default -> throw new IllegalArgumentException("option backward must be inverse-gradient or forward-rerun, got '" + b + "'");
            };
        }

        Layer plain() {
            return switch (kind) {
                case LIF -> new LifNeuron(conv.tau(), conv.vth(), conv.surrogate());
                case SJ_LIF -> new LifNeuron(conv.tau(), conv.vth(), conv.surrogate()).setDetachReset(false);
                default -> new Identity();
            };
        }

        ReversibleNeuronNode rev(boolean features) {
            ReversibleNeuronNode n = new ReversibleNeuronNode(features ? linear : conv, minDenominator, guard);
            n.setBackwardMode(backward);
            n.setReverseChunkElements(reverseChunk);
            n.inverter().setWarnBelow(warnBelow);
            n.inverter().setName("reversible node " + (++built) + " (counted from the input)");
            return n;
        }
    }

    /** Sets every reversible node's memory-saving backward in {@code module}'s subtree; returns how many it set. */
    public static int setBackwardMode(Module module, BackwardMode mode) {
        int n = 0;
        if (module instanceof ReversibleNeuronNode r) {
            r.setBackwardMode(mode);
            n++;
        }
        for (Module c : module.children().values()) {
            n += setBackwardMode(c, mode);
        }
        return n;
    }

    /** One prelude and the node after it. */
    private record Unit(Layer prelude, boolean features) {}

    static int hidden(ModelOptions o, int dflt) {
        return Integer.parseInt(o.extra().getOrDefault(OPT_HIDDEN, Integer.toString(dflt)));
    }

    public static Network vgg(String id, int[] cfg, NodeKind kind, InputSpec input, ModelOptions o, NDManager manager) {
        List<Unit> units = new ArrayList<>();
        int in = input.channels();
        int convs = 0;
        for (int c : cfg) {
            if (c != M) {
                convs++;
            }
        }
        int seen = 0;
        for (int i = 0; i < cfg.length; i++) {
            if (cfg[i] == M) {
                continue;
            }
            seen++;
            Sequential p = new Sequential().add("conv", Conv2d.of(in, cfg[i], 3, 1, 1)).add("bn", new BatchNorm2d(cfg[i]));
            if (seen == 1 && !input.events()) {
                p.add("encode", TimeLayers.repeat()); // direct encoding; event frames already carry T
            }
            if (i + 1 < cfg.length && cfg[i + 1] == M) {
                p.add("pool", Pooling.avg(2, 2, 0));
            }
            if (seen == convs) {
                p.add("flatten", Pooling.globalAvg()); // 1x1 after the fifth pool: [T, B, 512]
            }
            units.add(new Unit(p, false)); // conv nodes keep 2 groups, also the last one (flattened to 512)
            in = cfg[i];
        }
        int hidden = hidden(o, 128);
        units.add(new Unit(new Sequential().add("fc1", new Linear(in, hidden)), true));
        Sequential tail = new Sequential().add("fc2", new Linear(hidden, o.classes())).add("mean", TimeLayers.mean());
        return assembleParts(id, new Nodes(kind, o), new ArrayList<>(units), tail, input, o, manager);
    }

    public static Network resnet(String id, ResNetConfig c, NodeKind kind, InputSpec input, ModelOptions o, NDManager manager) {
        Nodes nodes = new Nodes(kind, o);
        List<Object> parts = new ArrayList<>(); // Unit or Block, in order
        Sequential stem = new Sequential().add("conv", Conv2d.of(input.channels(), c.stem(), 3, 1, 1))
                .add("bn", new BatchNorm2d(c.stem()));
        if (!input.events()) {
            stem.add("encode", TimeLayers.repeat()); // direct encoding; event frames already carry T
        }
        parts.add(new Unit(stem, false));
        int in = c.stem();
        for (int s = 0; s < c.widths().length; s++) {
            for (int b = 0; b < c.blocks()[s]; b++) {
                int stride = b == 0 ? c.strides()[s] : 1;
                int w = c.widths()[s];
                int out = c.bottleneck() ? 4 * w : w;
                List<Layer> pres = new ArrayList<>();
                Layer last;
                if (c.bottleneck()) {
                    pres.add(convBn(in, w, 1, 1));
                    pres.add(convBn(w, w, 3, stride));
                    last = convBn(w, out, 1, 1);
                } else {
                    pres.add(convBn(in, w, 3, stride));
                    last = convBn(w, w, 3, 1);
                }
                Layer shortcut = stride != 1 || in != out ? convBn(in, out, 1, stride) : null;
                parts.add(new Block(pres, last, shortcut));
                in = out;
            }
        }
        Sequential tail = new Sequential();
        int hidden = c.hidden() == 0 ? 0 : hidden(o, c.hidden());
        if (hidden > 0) {
            parts.add(new Unit(new Sequential().add("pool", Pooling.globalAvg()).add("fc1", new Linear(in, hidden)), true));
            tail.add("fc2", new Linear(hidden, o.classes()));
        } else {
            tail.add("pool", Pooling.globalAvg()).add("fc", new Linear(in, o.classes()));
        }
        tail.add("mean", TimeLayers.mean());
        return assembleParts(id, nodes, parts, tail, input, o, manager);
    }

    private record Block(List<Layer> pres, Layer last, Layer shortcut) {}

    private static Sequential convBn(int in, int out, int k, int stride) {
        return new Sequential().add("conv", Conv2d.of(in, out, k, stride, k / 2)).add("bn", new BatchNorm2d(out));
    }

    private static Network assembleParts(String id, Nodes nodes, List<Object> parts, Sequential tail, InputSpec input,
                                         ModelOptions o, NDManager manager) {
        List<Segment> segments = new ArrayList<>();
        if (nodes.kind == NodeKind.REVNODE) {
            for (Object p : parts) {
                if (p instanceof Unit u) {
                    segments.add(new NodeUnit(u.prelude(), nodes.rev(u.features())));
                } else {
                    Block b = (Block) p;
                    List<ReversibleNeuronNode> inner = new ArrayList<>();
                    b.pres().forEach(x -> inner.add(nodes.rev(false)));
                    segments.add(new NodeResidualBlock(b.pres(), inner, b.last(), b.shortcut(), nodes.rev(false)));
                }
            }
            segments.add(new AutogradSegment(tail));
        } else {
            Sequential net = new Sequential();
            int i = 0;
            for (Object p : parts) {
                if (p instanceof Unit u) {
                    net.add("u" + i, new Sequential().add("prelude", u.prelude()).add("node", nodes.plain()));
                } else {
                    Block b = (Block) p;
                    Sequential body = new Sequential();
                    for (int j = 0; j < b.pres().size(); j++) {
                        body.add("pre" + j, b.pres().get(j)).add("node" + j, nodes.plain());
                    }
                    body.add("last", b.last());
                    net.add("b" + i, new Sequential().add("res", new Residual(body, b.shortcut())).add("post", nodes.plain()));
                }
                i++;
            }
            net.add("tail", tail);
            segments.add(new AutogradSegment(net));
        }
        return new SegmentedNetwork(id, o, input, segments, manager);
    }
}
