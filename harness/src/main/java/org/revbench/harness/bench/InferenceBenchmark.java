package org.revbench.harness.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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
import org.revbench.core.train.ModelOnBatch;

/**
 * Inference latency of any registered model: evaluation-mode forward of one batch, nothing recorded. The score is
 * per batch; divide by the batch for microseconds per image (the papers' unit). SampleTime: quote the median.
 * Where the model is on a GPU, each call ends by copying a scalar of the logits to the host ({@link DeviceSync}), so
 * the time includes the device's work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "-Dai.djl.offline=true", "-D" + Engines.THREADS_PROPERTY + "=2",
        "-D" + Engines.INTEROP_THREADS_PROPERTY + "=1"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class InferenceBenchmark {

    @Param("revsresnet37")
    public String model;

    @Param("8")
    public int batch;

    @Param("4")
    public int timesteps;

    private ModelOnBatch fixture;
    private DeviceSync sync;

    @Setup(Level.Trial)
    public void setUp() {
        BenchmarkFork.checkThreads();
        ModelDefinition def = ModelRegistry.load().get(model);
        ModelOptions o = def.defaults().withTimesteps(timesteps).withDtype(DataType.FLOAT32);
        fixture = ModelOnBatch.open(def, o, batch, 7);
        sync = DeviceSync.of(fixture.network().parameters().get(0).array());
    }

    @Benchmark
    public void inference(Blackhole bh) {
        try (NDArray logits = fixture.network().predict(fixture.batch().input())) {
            sync.await(logits); // on a GPU the forward is only queued until its result is read
            bh.consume(logits.getShape());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }
}
