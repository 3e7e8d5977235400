package org.revbench.core.memory;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.engine.Devices;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.model.Network;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.ModelOnBatch;
import org.revbench.core.train.TrainingStep;

/**
 * One full training step of a registered model (forward, loss, backward, SGD update with momentum and weight
 * decay, as the CIFAR protocol), measured by {@link PeakMemoryProbe}. The peak therefore includes the
 * weights, gradients and optimizer state, as PyTorch's {@code max_memory_allocated} does in the papers. The details
 * also give {@code retained_after_forward_bytes}: what the forward leaves alive for the backward (the saved
 * activations and graph), read between the two.
 *
 * <p>Arguments: {@code key=value} pairs: {@code model} (required), {@code batch}, {@code timesteps},
 * {@code classes}, {@code dtype} (float32|float64), {@code memory-saving} (true|false), {@code seed}, {@code device}
 * ({@code cpu} or {@code cuda:N}, {@link Devices}; default cpu), and
 * {@code option.<name>} for any named model option ({@link ModelOptions#with}, e.g. {@code option.input.height=64}).
 */
public final class TrainingStepWorkload implements MemoryWorkload {

    private ModelOnBatch model;
    private TrainingStep step;
    private Sgd sgd;
    private final Map<String, Object> details = new LinkedHashMap<>();
    private int batchSize;
    private long liveAtStepStart;
    /** The largest, over the steps run, of the live bytes between forward and backward above the step's start. */
    private long retainedAfterForward;

    /** Builds the probe arguments for this workload. */
    public static java.util.List<String> args(String model, int batch, int timesteps, Integer classes, boolean memorySaving,
                                              Device device) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("model=" + model, "batch=" + batch,
                "timesteps=" + timesteps, "memory-saving=" + memorySaving, "device=" + Devices.name(device)));
        if (classes != null) {
            a.add("classes=" + classes);
        }
        return a;
    }

    @Override
    public void setUp(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("workload argument '" + s + "' is not key=value");
            }
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        Engines.start();
        ModelDefinition def = ModelRegistry.load().get(required(a, "model"));
        ModelOptions o = def.defaults();
        if (a.containsKey("classes")) {
            o = o.withClasses(Integer.parseInt(a.get("classes")));
        }
        if (a.containsKey("timesteps")) {
            o = o.withTimesteps(Integer.parseInt(a.get("timesteps")));
        }
        if (a.containsKey("seed")) {
            o = o.withSeed(Long.parseLong(a.get("seed")));
        }
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (e.getKey().startsWith("option.")) {
                o = o.with(e.getKey().substring("option.".length()), e.getValue());
            }
        }
        DataType dtype = DataType.valueOf(a.getOrDefault("dtype", "float32").toUpperCase(Locale.ROOT));
        o = o.withDtype(dtype);
        batchSize = Integer.parseInt(a.getOrDefault("batch", "8"));
        boolean saving = Boolean.parseBoolean(a.getOrDefault("memory-saving", "true"));

        Device device = Devices.requireAvailable(Devices.parse(a.getOrDefault("device", "cpu")));
        model = ModelOnBatch.open(def, o, batchSize, o.seed(), device);
        Network network = model.network();
        network.setMemorySaving(saving);
        sgd = new Sgd(0.9, 1e-4);
        step = new TrainingStep(network, CrossEntropy.plain(), sgd);
        // what the forward leaves for the backward: live bytes between the two, above those alive when the step began
        step.setAfterForward(() -> retainedAfterForward = Math.max(retainedAfterForward, AllocationCounter.liveBytes() - liveAtStepStart));

        details.put("model", def.id());
        details.put("classes", o.classes());
        details.put("timesteps", o.timesteps());
        details.put("dtype", dtype.toString().toLowerCase(Locale.ROOT));
        details.put("memory_saving", saving);
        details.put("params", network.trainableParameters());
        details.put("threads", Engines.threads());
        details.put("device", Devices.name(device));
        details.put("input", def.input().batchShape(batchSize, o.timesteps()).toString());
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("workload argument " + key + "=... is required");
        }
        return v;
    }

    @Override
    public void step() {
        liveAtStepStart = AllocationCounter.liveBytes();
        // a tiny learning rate: the weights barely move, so every measured step has the same shapes and values
        step.step(model.batch().input(), model.batch().labels(), 1e-6);
        if (AllocationCounter.isActive()) {
            details.put("retained_after_forward_bytes", retainedAfterForward);
        }
    }

    @Override
    public int batch() { return batchSize; }

    @Override
    public Map<String, Object> details() { return details; }

    @Override
    public void close() {
        if (sgd != null) {
            sgd.close();
        }
        if (model != null) {
            model.close();
        }
    }
}
