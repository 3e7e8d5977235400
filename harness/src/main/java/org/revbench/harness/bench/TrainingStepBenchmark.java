package org.revbench.harness.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.revbench.core.engine.DeviceSync;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.nn.Parameter;
import org.revbench.core.train.CrossEntropy;
import org.revbench.core.train.Sgd;
import org.revbench.core.train.ModelOnBatch;
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
 * Threads come from {@link Engines#THREADS_PROPERTY} (default 2 in the fork;
 * callers pass their own count through {@link BenchmarkFork#jvmArgs}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "-Dai.djl.offline=true", "-D" + Engines.THREADS_PROPERTY + "=2",
        "-D" + Engines.INTEROP_THREADS_PROPERTY + "=1"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class TrainingStepBenchmark {

    @Param("ms-resnet18")
    public String model;

    @Param("8")
    public int batch;

    @Param("4")
    public int timesteps;

    @Param("100")
    public int classes;

    @Param("true")
    public boolean memorySaving;

    private ModelOnBatch fixture;
    private Sgd sgd;
    private TrainingStep step;
    private DeviceSync sync;
    private NDArray updated;

    @Setup(Level.Trial)
    public void setUp() {
        BenchmarkFork.checkThreads();
        ModelDefinition def = ModelRegistry.load().get(model);
        ModelOptions o = def.defaults().withClasses(classes).withTimesteps(timesteps).withDtype(DataType.FLOAT32);
        fixture = ModelOnBatch.open(def, o, batch, 7);
        fixture.network().setMemorySaving(memorySaving);
        sgd = new Sgd(0.9, 1e-4);
        step = new TrainingStep(fixture.network(), CrossEntropy.plain(), sgd);
        List<Parameter> trained = fixture.network().parameters().stream().filter(Parameter::trainable).toList();
        updated = trained.get(trained.size() - 1).array();
        sync = DeviceSync.of(updated);
    }

    @Benchmark
    public void trainingStep(Blackhole bh) {
        double loss = step.step(fixture.batch().input(), fixture.batch().labels(), 1e-6).loss();
        sync.await(updated); // on a GPU backward and update are only queued when step returns (the loss is read before)
        bh.consume(loss);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sgd.close();
        fixture.close();
    }
}
