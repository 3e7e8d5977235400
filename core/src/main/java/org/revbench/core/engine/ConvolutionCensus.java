package org.revbench.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the convolutions that run through {@link Ops#conv2d} on this thread while it is open, by what determines
 * their cost: input and weight shapes, bias, stride, padding, groups, data type, and whether autograd recorded the
 * call (a recorded convolution is back-propagated later, so it costs its forward and its backward).
 * {@link ConvolutionFloor} times each such convolution on its own: the time a model's convolutions need on this
 * library and machine, whatever the rest of the framework does.
 *
 * <p>One census per thread at a time; closing it stops the counting.
 */
public final class ConvolutionCensus implements AutoCloseable {

    /** What a convolution's cost depends on. */
    public record Signature(Shape input, Shape weight, boolean bias, int stride, int padding, int groups,
                            DataType dataType, boolean recorded) {

        /** Multiply-accumulates of its forward: output elements times the weight's fan-in. */
        public long forwardMacs() {
            long n = input.get(0);
            long h = (input.get(2) + 2L * padding - weight.get(2)) / stride + 1;
            long w = (input.get(3) + 2L * padding - weight.get(3)) / stride + 1;
            return n * weight.get(0) * h * w * weight.get(1) * weight.get(2) * weight.get(3);
        }

        /** A short description: {@code 1x32x56x56 * 128x32x1x1 s1 p0 g1}. */
        public String describe() {
            return dims(input) + " * " + dims(weight) + " s" + stride + " p" + padding + (groups == 1 ? "" : " g" + groups)
                    + (recorded ? " +backward" : "");
        }

        private static String dims(Shape s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.dimension(); i++) {
                b.append(i == 0 ? "" : "x").append(s.get(i));
            }
            return b.toString();
        }
    }

    private static final ThreadLocal<ConvolutionCensus> OPEN = new ThreadLocal<>();

    private final Map<Signature, Integer> counts = new LinkedHashMap<>();
    private boolean open = true;

    private ConvolutionCensus() {}

    /** Starts counting this thread's convolutions. */
    public static ConvolutionCensus open() {
        if (OPEN.get() != null) {
            throw new IllegalStateException("a convolution census is already open on this thread");
        }
        ConvolutionCensus c = new ConvolutionCensus();
        OPEN.set(c);
        return c;
    }

    /** Called by {@link Ops#conv2d} for every convolution. */
    static void note(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        ConvolutionCensus c = OPEN.get();
        if (c != null) {
            // libtorch records the call when recording is on; whether the input needs its gradient cannot be asked
            // through DJL (its requiresGrad is false for every non-leaf tensor), so a recorded convolution counts
            // both gradients: exact for every layer but one whose input is the data (the stem), which is overcounted
            boolean recorded = Autograd.isRecording();
            Signature s = new Signature(x.getShape(), weight.getShape(), bias != null, stride, padding, groups,
                    x.getDataType(), recorded);
            c.counts.merge(s, 1, Integer::sum);
        }
    }

    /** The convolutions counted so far, in the order first seen, with how often each ran. */
    public Map<Signature, Integer> counts() {
        return Collections.unmodifiableMap(counts);
    }

    /** Every convolution counted. */
    public int calls() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            OPEN.remove();
        }
    }
}
