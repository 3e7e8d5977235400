package org.revbench.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The convolution floor of a workload: each distinct convolution a {@link ConvolutionCensus} counted, run on its own
 * (random inputs of the same shapes, the same library, threads and data type) and timed, times how often the workload
 * ran it, summed. A model whose convolutions are most of its work cannot run faster than this on this library and
 * machine by any change outside the convolutions; what its measured time exceeds the floor by is the framework's
 * (and the rest of the model's) share.
 *
 * <p>A recorded convolution is timed with its backward: the gradients of its input, weight and bias, from a gradient
 * of ones (the census cannot tell an input that needs none, see {@link ConvolutionCensus}).
 */
public final class ConvolutionFloor {

    /** One distinct convolution: how often the workload ran it, and its median time on its own. */
    public record Row(ConvolutionCensus.Signature signature, int calls, double millisEach) {
        public double millis() { return calls * millisEach; }

        /** Multiply-accumulates per second of its forward (of forward and backward where recorded, at 3x the forward). */
        public double macsPerSecond() {
            long macs = signature.forwardMacs() * (signature.recorded() ? 3 : 1);
            return macs / (millisEach / 1e3);
        }
    }

    /** The rows, largest share first, and their sum. */
    public record Result(List<Row> rows, double millis) {}

    private ConvolutionFloor() {}

    /**
     * Times every convolution of {@code counts}: {@code warmup} unmeasured runs, then {@code repeats} measured ones,
     * the median of which is its time.
     */
    public static Result measure(NDManager manager, Map<ConvolutionCensus.Signature, Integer> counts, int warmup,
                                 int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats " + repeats);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<ConvolutionCensus.Signature, Integer> e : counts.entrySet()) {
            rows.add(new Row(e.getKey(), e.getValue(), timeOne(manager, e.getKey(), warmup, repeats)));
        }
        rows.sort((a, b) -> Double.compare(b.millis(), a.millis()));
        return new Result(List.copyOf(rows), rows.stream().mapToDouble(Row::millis).sum());
    }

    private static double timeOne(NDManager parent, ConvolutionCensus.Signature s, int warmup, int repeats) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.randomNormal(0, 1, s.input(), s.dataType());
            NDArray w = m.randomNormal(0, 0.1f, s.weight(), s.dataType());
            NDArray b = s.bias() ? m.zeros(new ai.djl.ndarray.types.Shape(s.weight().get(0)), s.dataType()) : null;
            if (s.recorded()) {
                x.setRequiresGradient(true);
                w.setRequiresGradient(true);
                if (b != null) {
                    b.setRequiresGradient(true);
                }
            }
            NDArray ones = null; // the gradient seed, made once, outside the time
            if (s.recorded()) {
                try (NDArray y = Autograd.withRecording(false, () -> Ops.conv2d(x, w, b, s.stride(), s.padding(),
                        s.groups()))) {
                    ones = m.ones(y.getShape(), y.getDataType());
                }
            }
            double[] t = new double[repeats];
            DeviceSync sync = DeviceSync.of(x);
            boolean before = Autograd.setRecording(s.recorded());
            try {
                for (int i = 0; i < warmup + repeats; i++) {
                    long t0 = System.nanoTime();
                    try (NDArray y = Ops.conv2d(x, w, b, s.stride(), s.padding(), s.groups())) {
                        if (ones != null) {
                            Autograd.backward(y, ones);
                        }
                        sync.await(y); // on a GPU: queued after the convolution (and its backward), so done with them
                    }
                    long dt = System.nanoTime() - t0;
                    if (i >= warmup) {
                        t[i - warmup] = dt / 1e6;
                    }
                }
            } finally {
                Autograd.setRecording(before);
            }
            Arrays.sort(t);
            return repeats % 2 == 1 ? t[repeats / 2] : (t[repeats / 2 - 1] + t[repeats / 2]) / 2;
        }
    }
}
