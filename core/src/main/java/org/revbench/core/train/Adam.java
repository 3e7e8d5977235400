package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import org.revbench.core.nn.Parameter;

/**
 * PyTorch Adam / AdamW (decoupled weight decay when {@code decoupled}): {@code m = b1 m + (1-b1) g},
 * {@code v = b2 v + (1-b2) g^2}, {@code p -= lr * m_hat / (sqrt(v_hat) + eps)}.
 */
public final class Adam implements Optimizer {

    private static final String KIND = "adam";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final AdamMoments state = new AdamMoments(KIND);

    public Adam(double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    public static Adam adamW(double weightDecay) { return new Adam(0.9, 0.999, 1e-8, weightDecay, true); }

    public static Adam adam() { return new Adam(0.9, 0.999, 1e-8, 0, false); }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        long t = state.nextStep();
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        Optimizer.forEachGradient(parameters, (p, w, g0) -> {
            NDArray[] mv = state.of(p, w);
            if (decoupled && weightDecay != 0) {
                w.muli(1 - lr * weightDecay);
            }
            try (NDArray g = !decoupled && weightDecay != 0 ? w.mul(weightDecay).addi(g0) : g0.duplicate();
                 NDArray gs = g.mul(1 - beta1); NDArray g2 = g.square().muli(1 - beta2)) {
                mv[0].muli(beta1).addi(gs);
                mv[1].muli(beta2).addi(g2);
            }
            // every intermediate closed: one left per parameter per step grows native memory without bound
            try (NDArray vHat = mv[1].div(c2); NDArray denom = vHat.sqrt().addi(eps);
                 NDArray upd = mv[0].div(denom).muli(lr / c1)) {
                w.subi(upd);
            }
        });
    }

    @Override
    public void writeState(DataOutput out, List<Parameter> parameters) throws IOException {
        state.write(out, parameters);
    }

    @Override
    public void readState(DataInput in, List<Parameter> parameters) throws IOException {
        state.read(in, parameters, "Adam moments (m, v)");
    }

    @Override
    public void close() {
        state.close();
    }
}
