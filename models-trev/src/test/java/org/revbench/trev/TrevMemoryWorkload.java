package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.revbench.core.engine.Engines;
import org.revbench.core.memory.MemoryWorkload;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.TrainingStep;

/**
 * One training step (forward, loss, backward, SGD with momentum) of a small image T-RevSNN, for the peak-memory probe.
 * Arguments: {@code memory-saving=true|false}, {@code states=last-step|every-step}, {@code timesteps=T}.
 */
public final class TrevMemoryWorkload implements MemoryWorkload {

    static final int BATCH = 4;
    private NDManager manager;
    private TrevNetwork network;
    private NDArray x;
    private NDArray y;
    private Sgd sgd;
    private TrainingStep step;
    private final Map<String, Object> details = new LinkedHashMap<>();

    @Override
    public void setUp(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (String s : args) {
            a.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        Engines.start();
        manager = Engines.newManager();
        int t = Integer.parseInt(a.getOrDefault("timesteps", "4"));
        TrevSpec spec = new TrevSpec(new int[] {16, 32, 64, 96}, 3, false, true, 1, TrevLoss.LAST_STEP,
                StateKeeping.parse(a.getOrDefault("states", "last-step")));
        network = TrevNetwork.build("trev-memory", TrevTesting.options(t, DataType.FLOAT32, 1),
                new org.revbench.core.model.InputSpec(3, 64, 64, false), spec, manager);
        network.setMemorySaving(Boolean.parseBoolean(a.getOrDefault("memory-saving", "true")));
        x = TrevTesting.gaussian(manager, 2, 0.3, 1, DataType.FLOAT32, BATCH, 3, 64, 64);
        y = TrevTesting.labels(manager, 3, BATCH);
        sgd = new Sgd(0.9, 1e-4);
        step = new TrainingStep(network, CrossEntropy.plain(), sgd);
        details.putAll(a);
    }

    @Override
    public void step() {
        step.step(x, y, 1e-6);
    }

    @Override
    public int batch() { return BATCH; }

    @Override
    public Map<String, Object> details() { return details; }

    @Override
    public void close() {
        if (sgd != null) {
            sgd.close();
        }
        if (network != null) {
            network.close();
        }
        if (manager != null) {
            manager.close();
        }
    }
}
