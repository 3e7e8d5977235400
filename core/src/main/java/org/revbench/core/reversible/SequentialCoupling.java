package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.revbench.core.engine.Autograd;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;

/**
 * The sequential (RevNet) coupling of RevSResNet (ParaRevSNN Eq. 7-8):
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
     * In reverse order of the forward (the public RevSResNet backward), in place in {@code y = [y1, y2]} and
     * {@code dy = [dy1, dy2]}: recompute {@code G(y1)} with recording and back-propagate {@code dy2}; then
     * {@code y2 <- y2 - G(y1) = x2} and {@code dy1 <- dy1 + dG^T dy2 = dx1}; recompute {@code F(x2)} and
     * back-propagate {@code dx1}; then {@code y1 <- y1 - F(x2) = x1} and {@code dy2 <- dy2 + dF^T dx1 = dx2}.
     * Every in-place update comes after the backward that read the old value, and runs with recording off.
     */
    @Override
    public void backwardInPlace(NDArray y, NDArray dy, ForwardContext ctx) {
        try (NDList ys = halves(y); NDList dys = halves(dy)) {
            NDArray y1 = ys.get(0);
            NDArray y2 = ys.get(1);
            NDArray dy1 = dys.get(0);
            NDArray dy2 = dys.get(1);
            reverseHalf(g, 1, y1, y2, dy2, dy1, ctx); // y2 becomes x2, dy1 becomes dx1
            reverseHalf(f, 0, y2, y1, dy1, dy2, ctx); // y1 becomes x1, dy2 becomes dx2
        }
    }

    /**
     * One additive half-step {@code out = base + fn(in)} undone in place: back-propagates {@code dOut} through a
     * recording recompute of {@code fn(in)}, then {@code out <- out - fn(in)} (the old {@code base}) and
     * {@code dIn <- dIn + fn'(in)^T dOut}.
     */
    private static void reverseHalf(Layer fn, int which, NDArray in, NDArray out, NDArray dOut, NDArray dIn,
                                    ForwardContext ctx) {
        try (NDArray leaf = Autograd.detachedLeaf(in)) {
            try (NDArray value = call(fn, leaf, ctx, which)) {
                Autograd.backward(value, dOut);
                Autograd.withRecording(false, () -> out.subi(value));
            }
            try (NDArray grad = Autograd.gradient(leaf)) {
                Autograd.withRecording(false, () -> dIn.addi(grad));
            }
        }
    }
}
