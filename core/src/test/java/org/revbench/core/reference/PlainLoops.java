package org.revbench.core.reference;

/**
 * Deliberately naive plain-Java loops over flat row-major {@code double[]}, used only to cross-check the ND4J
 * reference in tests (no ND4J inside).
 */
final class PlainLoops {

    private PlainLoops() {}

    /** conv2d, x [n,c,h,w], w [o,c,kh,kw], bias [o] or null. Returns [n,o,oh,ow] flat. */
    static double[] conv2d(double[] x, int n, int c, int h, int w, double[] wt, int o, int kh, int kw,
            double[] bias, int stride, int pad) {
        int oh = (h + 2 * pad - kh) / stride + 1;
        int ow = (w + 2 * pad - kw) / stride + 1;
        double[] y = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = bias == null ? 0.0 : bias[oc];
                        for (int ic = 0; ic < c; ic++) {
                            for (int p = 0; p < kh; p++) {
                                for (int q = 0; q < kw; q++) {
                                    int yi = i * stride - pad + p;
                                    int xj = j * stride - pad + q;
                                    if (yi < 0 || yi >= h || xj < 0 || xj >= w) {
                                        continue;
                                    }
                                    acc += x[((b * c + ic) * h + yi) * w + xj] * wt[((oc * c + ic) * kh + p) * kw + q];
                                }
                            }
                        }
                        y[((b * o + oc) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        return y;
    }

    /** Training-mode batch norm on [n,c,hw] flat (biased variance). */
    static double[] batchNorm(double[] x, int n, int c, int hw, double[] gamma, double[] beta, double eps) {
        double[] y = new double[x.length];
        int count = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < hw; k++) {
                    sum += x[(b * c + ch) * hw + k];
                }
            }
            double mean = sum / count;
            double sq = 0;
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < hw; k++) {
                    double d = x[(b * c + ch) * hw + k] - mean;
                    sq += d * d;
                }
            }
            double inv = 1.0 / Math.sqrt(sq / count + eps);
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < hw; k++) {
                    int idx = (b * c + ch) * hw + k;
                    y[idx] = (x[idx] - mean) * inv * gamma[ch] + beta[ch];
                }
            }
        }
        return y;
    }

    /** IF (tau <= 0) or LIF (decay_input) spikes over [t, m] flat, threshold vth, hard reset to 0. */
    static double[][] neuron(double[] x, int t, int m, double tau, double vth) {
        double[] s = new double[t * m];
        double[] hs = new double[t * m];
        for (int k = 0; k < m; k++) {
            double v = 0;
            for (int i = 0; i < t; i++) {
                double xi = x[i * m + k];
                double h = tau > 0 ? v + (xi - v) / tau : v + xi;
                double spike = h - vth >= 0 ? 1.0 : 0.0;
                s[i * m + k] = spike;
                hs[i * m + k] = h;
                v = (1.0 - spike) * h;
            }
        }
        return new double[][] {s, hs};
    }
}
