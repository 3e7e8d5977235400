package org.revbench.rev;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.AutogradSegment;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;
import org.revbench.core.reversible.Invertible;

/**
 * A spiking residual block with reversible nodes: {@code post(last(... node_1(pre_1(x)) ...) + shortcut(x))}, where
 * each {@code pre_i} is conv -> BN followed by a node, {@code last} is conv -> BN, the shortcut is the identity or
 * conv1x1 -> BN, and {@code post} is the node after the addition (basic block: one inner node, bottleneck: two).
 *
 * <p>Memory-saving training keeps, as a {@link NodeUnit} does, only each node's output (the next convolution's input,
 * kept anyway) and last potential: every node runs in place over its own input ({@link InPlaceNodeRun}),
 * the addition is recorded (it saves nothing) and its operands are freed at once. Backward walks the nodes from the
 * post node back, handing each node's input gradient to the graph of the layers before it; the block input's
 * gradient accumulates over the main path and the shortcut.
 */
public final class NodeResidualBlock extends Segment implements Invertible {

    private final List<Layer> pres = new ArrayList<>();
    private final List<ReversibleNeuronNode> nodes = new ArrayList<>();
    private final Layer last;
    private final Layer shortcut;
    private final ReversibleNeuronNode post;
    private boolean memorySaving = true;

    /** {@code pres.get(i)} feeds {@code inner.get(i)}; {@code shortcut} null is the identity. */
    public NodeResidualBlock(List<Layer> pres, List<ReversibleNeuronNode> inner, Layer last, Layer shortcut,
                             ReversibleNeuronNode post) {
        if (pres.size() != inner.size()) {
            throw new IllegalArgumentException("one node per inner layer stack");
        }
        for (int i = 0; i < pres.size(); i++) {
            this.pres.add(addChild("pre" + i, pres.get(i)));
            this.nodes.add(addChild("node" + i, inner.get(i)));
        }
        this.last = addChild("last", last);
        this.shortcut = shortcut == null ? null : addChild("shortcut", shortcut);
        this.post = addChild("post", post);
    }

    private List<ReversibleNeuronNode> allNodes() {
        List<ReversibleNeuronNode> all = new ArrayList<>(nodes);
        all.add(post);
        return all;
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        try (NDArray sum = sum(x, ctx)) {
            return post.forward(sum, ctx);
        }
    }

    /** The post node's input, which {@link #inverse} reconstructs. */
    @Override
    public NDArray inverseTarget(NDArray x, ForwardContext ctx) {
        return sum(x, ctx);
    }

    /** Everything before the post node: the main path plus the shortcut. */
    private NDArray sum(NDArray x, ForwardContext ctx) {
        NDArray cur = x;
        for (int i = 0; i < pres.size(); i++) {
            try (NDArray a = pres.get(i).forward(cur, ctx)) {
                NDArray y = nodes.get(i).forward(a, ctx);
                if (cur != x) {
                    cur.close();
                }
                cur = y;
            }
        }
        NDArray sum;
        try (NDArray b = last.forward(cur, ctx)) {
            if (cur != x) {
                cur.close();
            }
            if (shortcut == null) {
                sum = b.add(x);
            } else {
                try (NDArray s = shortcut.forward(x, ctx)) {
                    sum = b.add(s);
                }
            }
        }
        return sum;
    }

    /** Not invertible as a whole (the block's convolutions are not): the post node's input from its output. */
    @Override
    public NDArray inverse(NDArray y, ForwardContext ctx) {
        return post.inverse(y, ctx);
    }

    @Override
    public int blockCount() { return 1; }

    @Override
    public void setMemorySaving(boolean on) {
        memorySaving = on;
        allNodes().forEach(n -> n.setMemorySaving(on));
    }

    @Override
    public Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx) {
        if (!memorySaving) {
            return AutogradSegment.record(input, inputNeedsGradient, leaf -> forward(leaf, ctx));
        }
        BackwardMode mode = post.backwardMode();
        List<NDArray> owned = new ArrayList<>();
        List<InPlaceNodeRun> runs = new ArrayList<>(); // the inner nodes', then the post node's
        NDArray leafX = inputNeedsGradient ? Autograd.detachedLeaf(input) : input.stopGradient();
        owned.add(leafX);
        int k = pres.size();
        NDArray[] leaves = new NDArray[k];
        try {
            NDArray cur = leafX;
            for (int i = 0; i < k; i++) {
                NDArray from = cur;
                Layer pre = pres.get(i);
                runs.add(InPlaceNodeRun.over(nodes.get(i), Autograd.withRecording(true, () -> pre.forward(from, ctx))));
                leaves[i] = Autograd.detachedLeaf(runs.get(i).output());
                owned.add(leaves[i]);
                cur = leaves[i];
            }
            NDArray from = cur;
            runs.add(InPlaceNodeRun.over(post, Autograd.withRecording(true, () -> {
                try (NDArray b = last.forward(from, ctx)) {
                    if (shortcut == null) {
                        return b.add(leafX);
                    }
                    try (NDArray s = shortcut.forward(leafX, ctx)) {
                        return b.add(s);
                    }
                }
            })));
        } catch (RuntimeException e) {
            runs.forEach(InPlaceNodeRun::close);
            owned.forEach(NDArray::close);
            throw e;
        }
        InPlaceNodeRun postRun = runs.get(k);
        return new Trace() {
            @Override
            public NDArray output() { return postRun.output(); }

            @Override
            public NDArray backward(NDArray root, NDArray rootGrad) {
                if (root != postRun.output()) {
                    throw new IllegalStateException("a residual node block must be back-propagated from its own output");
                }
                postRun.backward(rootGrad, mode); // into the sum's graph, down to the last inner node's leaf
                for (int i = k - 1; i >= 0; i--) {
                    try (NDArray dy = Autograd.gradient(leaves[i])) {
                        runs.get(i).backward(dy, mode);
                    }
                }
                return inputNeedsGradient ? Autograd.gradient(leafX) : null;
            }

            @Override
            public void close() {
                runs.forEach(InPlaceNodeRun::close);
                runs.clear();
                owned.forEach(NDArray::close);
                owned.clear();
            }
        };
    }
}
