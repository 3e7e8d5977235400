package org.revbench.harness.bench;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Blackhole;
import org.revbench.core.engine.DeviceSync;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.nn.Parameter;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.TrainingStep;

/**
 * Training-step latency of any registered model: forward, loss, backward, SGD update, on one fixed batch.
 * SampleTime mode, so JMH reports the distribution and its median (p0.50); the papers' 2-core CPU numbers are
 * noisy (occasional multi-second stalls come from the machine), so the median is the figure to quote.
 *
 * <p>Where the model is on a GPU, each step ends by copying a scalar of the last parameter the update wrote to the
 * host ({@link DeviceSync}), so the time includes the device's backward and update.
 *
 * <p>Run: {@code ./revbench bench TrainingStepBenchmark -p model=ms-resnet18 -p batch=8 -p timesteps=4}.
 * Threads come from {@link org.revbench.core.engine.Engines#THREADS_PROPERTY} (default 2 in the fork;
 * callers pass their own count through {@link BenchmarkFork#jvmArgs}).
 */
public class TrainingStepBenchmark extends ModelBenchmark {

    @Param("ms-resnet18")
    public String model;

    @Param("100")
    public int classes;

    @Param("true")
    public boolean memorySaving;

    private Sgd sgd;
    private TrainingStep step;
    private DeviceSync sync;
    private NDArray updated;

    @Override
    protected String model() { return model; }

    @Override
    protected ModelOptions options(ModelDefinition def) {
        return def.defaults().withClasses(classes);
    }

    @Override
    protected void prepare() {
        fixture.network().setMemorySaving(memorySaving);
        sgd = new Sgd(0.9, 1e-4);
        step = new TrainingStep(fixture.network(), CrossEntropy.plain(), sgd);
        List<Parameter> trained = trainable();
        updated = trained.get(trained.size() - 1).array();
        sync = DeviceSync.of(updated);
    }

    @Benchmark
    public void trainingStep(Blackhole bh) {
        double loss = step.step(fixture.batch().input(), fixture.batch().labels(), 1e-6).loss();
        sync.await(updated); // on a GPU backward and update are only queued when step returns (the loss is read before)
        bh.consume(loss);
    }

    @Override
    protected void release() {
        sgd.close();
    }
}
