package org.revbench.harness.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Blackhole;
import org.revbench.core.engine.DeviceSync;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
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

    private TimedTrainingStep step;

    @Override
    protected String model() { return model; }

    @Override
    protected ModelOptions options(ModelDefinition def) {
        return def.defaults().withClasses(classes);
    }

    @Override
    protected void prepare() {
        step = new TimedTrainingStep(fixture.network(), memorySaving);
    }

    @Benchmark
    public void trainingStep(Blackhole bh) {
        bh.consume(step.run(fixture.batch()));
    }

    @Override
    protected void release() {
        step.close();
    }
}
