package org.revbench.core.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.nn.Parameter;

/**
 * LAMB (You et al., 2020) as timm's {@code Lamb} defines it, the optimizer of large-batch ImageNet SNN recipes built on
 * timm: the gradients are first clipped together to a global L2 norm of {@code maxGradNorm} (timm's default 1.0; 0:
 * off), then per parameter {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code u = m_hat / (sqrt(v_hat) + eps) + wd p}, and {@code p -= lr * r * u} with the trust ratio
 * {@code r = |p| / |u|} (1 when either norm is 0). As in timm, the trust ratio applies only where weight decay is
 * non-zero ({@code always_adapt} false); {@code eps} is timm's 1e-6.
 */
public final class Lamb implements Optimizer {

    private static final String KIND = "lamb";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double maxGradNorm;
    private final AdamMoments state = new AdamMoments(KIND);

    public Lamb(double beta1, double beta2, double eps, double weightDecay, double maxGradNorm) {
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("maxGradNorm must be >= 0, got " + maxGradNorm);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.maxGradNorm = maxGradNorm;
    }

    /** timm's defaults: betas (0.9, 0.999), eps 1e-6, gradients clipped to a global norm of 1. */
    public static Lamb timm(double weightDecay) { return new Lamb(0.9, 0.999, 1e-6, weightDecay, 1.0); }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        long t = state.nextStep();
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double clip = clipFactor(parameters);
        Optimizer.forEachGradient(parameters, (p, w, g0) -> {
            NDArray[] mv = state.of(p, w);
            try (NDArray g = g0.mul(clip); NDArray gs = g.mul(1 - beta1); NDArray g2 = g.square().muli(1 - beta2)) {
                mv[0].muli(beta1).addi(gs);
                mv[1].muli(beta2).addi(g2);
            }
            // every intermediate closed: one left per parameter per step grows native memory without bound
            try (NDArray vHat = mv[1].div(c2); NDArray denom = vHat.sqrt().addi(eps);
                 NDArray u = mv[0].div(c1).divi(denom)) {
                double trust = 1;
                if (weightDecay != 0) {
                    try (NDArray decay = w.mul(weightDecay)) {
                        u.addi(decay);
                    }
                    double wNorm = norm(w);
                    double uNorm = norm(u);
                    trust = wNorm > 0 && uNorm > 0 ? wNorm / uNorm : 1;
                }
                w.subi(u.muli(lr * trust));
            }
        });
    }

    /** timm: {@code clip = min(1, maxGradNorm / global_norm)}; 1 when clipping is off or no gradient exists. */
    private double clipFactor(List<Parameter> parameters) {
        if (maxGradNorm == 0) {
            return 1;
        }
        double sumSquares = 0;
        boolean before = Autograd.setRecording(false);
        try {
            for (Parameter p : parameters) {
                if (!p.trainable()) {
                    continue;
                }
                try (NDArray g = Autograd.gradient(p.array())) {
                    if (g != null) {
                        double n = norm(g);
                        sumSquares += n * n;
                    }
                }
            }
        } finally {
            Autograd.setRecording(before);
        }
        double global = Math.sqrt(sumSquares);
        return global > maxGradNorm ? maxGradNorm / global : 1;
    }

    private static double norm(NDArray a) {
        try (NDArray sq = a.square(); NDArray s = sq.sum()) {
            return Math.sqrt(s.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
        }
    }

    @Override
    public void writeState(DataOutput out, List<Parameter> parameters) throws IOException {
        state.write(out, parameters);
    }

    @Override
    public void readState(DataInput in, List<Parameter> parameters) throws IOException {
        state.read(in, parameters, "LAMB moments (m, v)");
    }

    @Override
    public void close() {
        state.close();
    }
}
