package org.revbench.harness.bench;

import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.revbench.core.engine.Devices;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.nn.Parameter;
import org.revbench.core.train.ModelOnBatch;

/**
 * What the model benchmarks share, in one annotated base as in JMH's samples, so that each benchmark says only what
 * it measures: JMH's settings (a benchmark class inherits them), the batch and time-step parameters, and the model
 * built in float32 on one fixed synthetic batch per trial, in a fork whose libtorch threads are checked
 * ({@link BenchmarkFork}). SampleTime in milliseconds: quote the median. The fork runs 2 intra-op threads unless the
 * caller passes its own count through {@link BenchmarkFork#jvmArgs}.
 *
 * <p>The model is each benchmark's own {@code @Param}, for its own default model; so is {@code classes} where a
 * benchmark sets it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "-Dai.djl.offline=true", "-D" + Engines.THREADS_PROPERTY + "=2",
        "-D" + Engines.INTEROP_THREADS_PROPERTY + "=1"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public abstract class ModelBenchmark {

    @Param("8")
    public int batch;

    @Param("4")
    public int timesteps;

    /** Where the model and its batch live ({@code cpu}, {@code cuda:N}); timings end with the device's work done. */
    @Param("cpu")
    public String device;

    /** The model and its batch, built once per trial. */
    protected ModelOnBatch fixture;

    /** The model id: the benchmark's {@code model} parameter. */
    protected abstract String model();

    /** The model's options before the time steps and the dtype are set: its defaults, unless the benchmark sets more. */
    protected ModelOptions options(ModelDefinition def) {
        return def.defaults();
    }

    /** Makes what the benchmark needs besides the model and its batch, once they are built. */
    protected abstract void prepare();

    /** Frees what {@link #prepare} made, before the model and its batch are closed. */
    protected void release() {}

    @Setup(Level.Trial)
    public void setUp() {
        BenchmarkFork.checkThreads();
        ModelDefinition def = ModelRegistry.load().get(model());
        ModelOptions o = options(def).withTimesteps(timesteps).withDtype(DataType.FLOAT32);
        fixture = ModelOnBatch.open(def, o, batch, 7, Devices.requireAvailable(Devices.parse(device)));
        prepare();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        release();
        fixture.close();
    }

    /** The trainable parameters, the input-most first. */
    protected List<Parameter> trainable() {
        return fixture.network().parameters().stream().filter(Parameter::trainable).toList();
    }
}
