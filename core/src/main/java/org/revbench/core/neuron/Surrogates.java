package org.revbench.core.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Tensors;

/** The surrogate gradients the three papers use. */
public final class Surrogates {

    private Surrogates() {}

    /** SpikingJelly ATan: {@code g'(x) = (alpha/2) / (1 + (pi/2 * alpha * x)^2)}. CIFAR models use alpha 2. */
    public static Surrogate atan(double alpha) {
        double k = Math.PI / 2 * alpha;
        return new Surrogate() {
            @Override
            public String name() { return "atan(" + alpha + ")"; }

            @Override
            public NDArray primitive(NDArray x) {
                // g(x) = atan(k x) / pi, g'(x) = (k/pi) / (1 + (k x)^2) = (alpha/2) / (1 + (k x)^2)
                try (NDArray kc = Tensors.constant(x, k); NDArray inv = Tensors.constant(x, 1 / Math.PI);
                     NDArray kx = x.mul(kc); NDArray a = kx.atan()) {
                    return a.mul(inv);
                }
            }

            @Override
            public double derivative(double x) {
                double kx = k * x;
                return alpha / 2 / (1 + kx * kx);
            }

            @Override
            public NDArray derivative(NDArray x) {
                return Autograd.withRecording(false, () -> lorentzianOf(x, k, alpha / 2));
            }
        };
    }

    /** SpikingJelly Sigmoid: {@code g'(x) = alpha * sig(alpha x) * (1 - sig(alpha x))}. DVS models use alpha 4. */
    public static Surrogate sigmoid(double alpha) {
        return new Surrogate() {
            @Override
            public String name() { return "sigmoid(" + alpha + ")"; }

            @Override
            public NDArray primitive(NDArray x) {
                try (NDArray a = Tensors.constant(x, alpha); NDArray ax = x.mul(a)) {
                    return ai.djl.nn.Activation.sigmoid(ax);
                }
            }

            @Override
            public double derivative(double x) {
                double s = 1 / (1 + Math.exp(-alpha * x));
                return alpha * s * (1 - s);
            }

            @Override
            public NDArray derivative(NDArray x) {
                return Autograd.withRecording(false, () -> {
                    try (NDArray a = Tensors.constant(x, alpha); NDArray one = Tensors.constant(x, 1.0);
                         NDArray ax = x.mul(a); NDArray sg = ai.djl.nn.Activation.sigmoid(ax); NDArray c = one.sub(sg);
                         NDArray p = sg.mul(c)) {
                        return p.mul(a);
                    }
                });
            }
        };
    }

    /** Rectangle: {@code g'(x) = 1/width} where {@code |x| < width/2}, else 0. */
    public static Surrogate rectangle(double width) {
        return new Surrogate() {
            @Override
            public String name() { return "rectangle(" + width + ")"; }

            @Override
            public NDArray primitive(NDArray x) {
                // g(x) = x * mask / width with a detached mask: g' = mask / width
                try (NDArray half = Tensors.constant(x, width / 2); NDArray inv = Tensors.constant(x, 1 / width);
                     NDArray detached = x.stopGradient(); NDArray abs = detached.abs(); NDArray lt = abs.lt(half);
                     NDArray mask = lt.toType(x.getDataType(), false); NDArray xm = x.mul(mask)) {
                    return xm.mul(inv);
                }
            }

            @Override
            public double derivative(double x) {
                return Math.abs(x) < width / 2 ? 1 / width : 0;
            }

            @Override
            public NDArray derivative(NDArray x) {
                return Autograd.withRecording(false, () -> {
                    try (NDArray half = Tensors.constant(x, width / 2); NDArray inv = Tensors.constant(x, 1 / width);
                         NDArray abs = x.abs(); NDArray lt = abs.lt(half); NDArray mask = lt.toType(x.getDataType(), false)) {
                        return mask.mul(inv);
                    }
                });
            }
        };
    }

    /**
     * The Lorentzian {@code g'(x) = 1 / (1 + (pi * scale * x)^2)}. At scale 1 this is the surrogate of the
     * reversible node paper, which equals {@code atan(2)}; kept as its own name because that paper
     * states it in this form.
     */
    public static Surrogate lorentzian(double scale) {
        double k = Math.PI * scale;
        return new Surrogate() {
            @Override
            public String name() { return "lorentzian(" + scale + ")"; }

            @Override
            public NDArray primitive(NDArray x) {
                // g(x) = atan(k x) / k, g'(x) = 1 / (1 + (k x)^2)
                try (NDArray kc = Tensors.constant(x, k); NDArray inv = Tensors.constant(x, 1 / k);
                     NDArray kx = x.mul(kc); NDArray a = kx.atan()) {
                    return a.mul(inv);
                }
            }

            @Override
            public double derivative(double x) {
                double kx = k * x;
                return 1 / (1 + kx * kx);
            }

            @Override
            public NDArray derivative(NDArray x) {
                return Autograd.withRecording(false, () -> lorentzianOf(x, k, 1.0));
            }
        };
    }

    /** Parses {@code atan(2)}, {@code sigmoid(4)}, {@code rectangle(1)}, {@code lorentzian(1)}. */
    public static Surrogate parse(String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\w+)\\s*\\(\\s*([-+0-9.eE]+)\\s*\\)\\s*").matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad surrogate '" + spec + "': expected name(value), e.g. atan(2)");
        }
        double v = Double.parseDouble(m.group(2));
        switch (m.group(1).toLowerCase(java.util.Locale.ROOT)) {
            case "atan": return atan(v);
            case "sigmoid": return sigmoid(v);
            case "rectangle": return rectangle(v);
            case "lorentzian": return lorentzian(v);
            default: throw new IllegalArgumentException("unknown surrogate '" + m.group(1) + "' (atan, sigmoid, rectangle, lorentzian)");
        }
    }

    /** {@code scale / (1 + (k x)^2)}, element-wise. */
    private static NDArray lorentzianOf(NDArray x, double k, double scale) {
        try (NDArray kc = Tensors.constant(x, k); NDArray one = Tensors.constant(x, 1.0);
             NDArray sc = Tensors.constant(x, scale); NDArray kx = x.mul(kc); NDArray sq = kx.mul(kx);
             NDArray den = sq.add(one)) {
            return sc.div(den);
        }
    }

    static boolean isFloating(DataType t) { return t == DataType.FLOAT32 || t == DataType.FLOAT64 || t == DataType.FLOAT16; }
}
