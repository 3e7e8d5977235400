package org.revbench.harness.bench;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ForwardPass;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.ModelOnBatch;

/**
 * Forward and backward time of a training iteration, measured separately (revnode Figure 5): for each model and T,
 * {@code warmup} unmeasured then {@code iterations} measured iterations of {@code forwardTrain} + loss (forward) and
 * {@code backward} (backward) on one synthetic batch, no optimizer update; prints median, min and max of each, in ms.
 * Any model works; nothing here asks which.
 *
 * <p>Usage: {@code ForwardBackwardTiming batch warmup iterations T[,T...] model [model...]}, on the device
 * {@code REVBENCH_DEVICE} names (the CPU without it).
 */
public final class ForwardBackwardTiming {

    private ForwardBackwardTiming() {}

    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int iterations = Integer.parseInt(args[2]);
        int[] ts = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        Engines.start();
        ai.djl.Device device = org.revbench.core.engine.Devices.fromEnvironment();
        device = org.revbench.core.engine.Devices.requireAvailable(device != null ? device : ai.djl.Device.cpu());
        ModelRegistry registry = ModelRegistry.load();
        System.out.printf(Locale.ROOT, "model\tT\tbatch\tforward_ms_median\tforward_ms_min\tforward_ms_max\tbackward_ms_median\tbackward_ms_min\tbackward_ms_max%n");
        for (int t : ts) {
            for (int i = 4; i < args.length; i++) {
                ModelDefinition d = registry.get(args[i]);
                ModelOptions o = d.defaults().withTimesteps(t);
                double[][] r = time(d, o, batch, warmup, iterations, device);
                Arrays.sort(r[0]);
                Arrays.sort(r[1]);
                System.out.printf(Locale.ROOT, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f%n", d.id(), t, batch,
                        Median.of(r[0]), r[0][0], r[0][r[0].length - 1], Median.of(r[1]), r[1][0], r[1][r[1].length - 1]);
                System.out.flush();
            }
        }
    }

    /** {forward ms[], backward ms[]} of the measured iterations. */
    public static double[][] time(ModelDefinition d, ModelOptions o, int batch, int warmup, int iterations,
                                  ai.djl.Device device) {
        double[] fw = new double[iterations];
        double[] bw = new double[iterations];
        CrossEntropy ce = CrossEntropy.plain();
        try (ModelOnBatch m = ModelOnBatch.open(d, o, batch, o.seed(), device)) {
            for (int i = -warmup; i < iterations; i++) {
                boolean before = Autograd.setRecording(true);
                try {
                    long t0 = System.nanoTime();
                    try (ForwardPass pass = m.network().forwardTrain(m.batch().input());
                         NDArray loss = pass.trainingLoss(head -> ce.loss(head, m.batch().labels()))) {
                        loss.toFloatArray(); // forces the forward to complete
                        long t1 = System.nanoTime();
                        pass.backward(loss);
                        org.revbench.core.engine.DeviceSync.of(loss).await(loss); // the backward done, on any device
                        long t2 = System.nanoTime();
                        if (i >= 0) {
                            fw[i] = (t1 - t0) / 1e6;
                            bw[i] = (t2 - t1) / 1e6;
                        }
                    }
                } finally {
                    Autograd.setRecording(before);
                }
                m.network().parameters().forEach(p -> {
                    if (p.trainable()) {
                        Autograd.zeroGradient(p.array());
                    }
                });
            }
        }
        return new double[][] {fw, bw};
    }
}
