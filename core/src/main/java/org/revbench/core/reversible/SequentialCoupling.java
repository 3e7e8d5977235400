package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.revbench.core.engine.Autograd;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * The sequential (RevNet) coupling of RevSResNet (seed 000 Eq. 7-8):
 * {@code y1 = x1 + F(x2)}, {@code y2 = x2 + G(y1)}; inverse {@code x2 = y2 - G(y1)}, {@code x1 = y1 - F(x2)}.
 */
public final class SequentialCoupling extends Coupling {

    private final Layer f;
    private final Layer g;

    public SequentialCoupling(Layer f, Layer g) {
        this.f = addChild("F", f);
        this.g = addChild("G", g);
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        try (NDList xs = halves(x)) {
            NDArray x1 = xs.get(0);
            NDArray x2 = xs.get(1);
            NDArray y1;
            try (NDArray fx2 = call(f, x2, ctx, 0)) {
                y1 = x1.add(fx2);
            }
            try (y1; NDArray gy1 = call(g, y1, ctx, 1); NDArray y2 = x2.add(gy1)) {
                return join(y1, y2);
            }
        }
    }

    @Override
    public NDArray inverse(NDArray y, ForwardContext ctx) {
        try (NDList ys = halves(y)) {
            NDArray y1 = ys.get(0);
            NDArray y2 = ys.get(1);
            NDArray x2;
            try (NDArray gy1 = call(g, y1, ctx, 1)) {
                x2 = y2.sub(gy1);
            }
            try (x2; NDArray fx2 = call(f, x2, ctx, 0); NDArray x1 = y1.sub(fx2)) {
                return join(x1, x2);
            }
        }
    }

    /**
     * In reverse order of the forward (the public RevSResNet backward): recompute {@code G(y1)} with recording,
     * back-propagate {@code dy2}, recover {@code x2 = y2 - G(y1)} and {@code dx1 = dy1 + dG^T dy2}; recompute
     * {@code F(x2)}, back-propagate {@code dx1}, recover {@code x1 = y1 - F(x2)} and {@code dx2 = dy2 + dF^T dx1}.
     */
    @Override
    public Reconstruction backward(NDArray y, NDArray dy, ForwardContext ctx) {
        try (NDList ys = halves(y); NDList dys = halves(dy)) {
            NDArray y1 = ys.get(0);
            NDArray y2 = ys.get(1);
            NDArray dy1 = dys.get(0);
            NDArray dy2 = dys.get(1);

            NDArray x2;
            NDArray dx1;
            try (NDArray y1Leaf = Autograd.detachedLeaf(y1); NDArray gy1 = call(g, y1Leaf, ctx, 1)) {
                Autograd.backward(gy1, dy2);
                x2 = Autograd.withRecording(false, () -> y2.sub(gy1));
                try (NDArray gradY1 = Autograd.gradient(y1Leaf)) {
                    dx1 = dy1.add(gradY1);
                }
            }
            NDArray x1;
            NDArray dx2;
            try (x2; dx1; NDArray x2Leaf = Autograd.detachedLeaf(x2); NDArray fx2 = call(f, x2Leaf, ctx, 0)) {
                Autograd.backward(fx2, dx1);
                x1 = Autograd.withRecording(false, () -> y1.sub(fx2));
                try (NDArray gradX2 = Autograd.gradient(x2Leaf)) {
                    dx2 = dy2.add(gradX2);
                }
                try (x1; dx2) {
                    return new Reconstruction(join(x1, x2), join(dx1, dx2));
                }
            }
        }
    }
}
