package org.revbench.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.revbench.core.nn.InitRandom;
import org.revbench.core.engine.Tensors;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * A network as a chain of segments, each back-propagated by its own trace: ordinary autograd parts and
 * reversible stages mix freely. Backward runs the traces in reverse, handing each the gradient of the next
 * segment's input.
 */
public final class SegmentedNetwork extends LayerNetwork {

    private final List<Segment> segments = new ArrayList<>();

    /** Constructs and initialises (parameters from {@code options.seed()}, in {@code options.dtype()}). */
    public SegmentedNetwork(String id, ModelOptions options, InputSpec input, List<Segment> segments, NDManager manager) {
        super(id, options, input);
        for (int i = 0; i < segments.size(); i++) {
            this.segments.add(addChild("s" + i, segments.get(i)));
        }
        assignPaths("");
        initialize(manager, options.dtype(), new InitRandom(options.seed()));
    }

    /** Convenience: one autograd segment per layer, in order. */
    public static List<Segment> autograd(Layer... layers) {
        List<Segment> s = new ArrayList<>();
        for (Layer l : layers) {
            s.add(l instanceof Segment ? (Segment) l : new AutogradSegment(l));
        }
        return s;
    }

    public List<Segment> segments() { return List.copyOf(segments); }

    @Override
    public void setMemorySaving(boolean on) {
        for (Segment s : segments) {
            if (s instanceof MemorySaving m) {
                m.setMemorySaving(on);
            }
        }
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray current = x;
        for (Segment s : segments) {
            NDArray next = s.forward(current, ctx);
            if (current != x) {
                current.close();
            }
            current = next;
        }
        return current;
    }

    @Override
    protected ForwardPass trainingPass(NDArray x, boolean inputGradient, ForwardContext ctx) {
        List<Segment.Trace> traces = new ArrayList<>(segments.size());
        try {
            NDArray current = x;
            for (int i = 0; i < segments.size(); i++) {
                Segment.Trace t = segments.get(i).forwardTrain(current, i > 0 || inputGradient, ctx);
                traces.add(t);
                current = t.output();
            }
        } catch (RuntimeException e) {
            traces.forEach(Segment.Trace::close);
            throw e;
        }
        return new ForwardPass() {
            private NDArray dx;

            @Override
            public NDArray logits() { return traces.get(traces.size() - 1).output(); }

            @Override
            public NDArray inputGradient() { return dx; }

            @Override
            public void backward(NDArray loss) {
                NDArray root = loss;
                NDArray grad = Tensors.constant(loss, 1.0);
                for (int i = traces.size() - 1; i >= 0; i--) {
                    Segment.Trace t = traces.get(i);
                    NDArray inputGrad = t.backward(root, grad);
                    grad.close();
                    t.close(); // frees what this segment kept as soon as it is done
                    if (i == 0) {
                        dx = inputGrad;
                        break;
                    }
                    root = traces.get(i - 1).output();
                    grad = inputGrad;
                }
                traces.clear();
            }

            @Override
            public void close() {
                traces.forEach(Segment.Trace::close);
                traces.clear();
                if (dx != null) {
                    dx.close();
                }
            }
        };
    }
}
