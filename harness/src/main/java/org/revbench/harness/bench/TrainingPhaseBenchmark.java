package org.revbench.harness.bench;

import ai.djl.ndarray.NDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.DeviceSync;
import org.revbench.core.model.ForwardPass;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.train.CrossEntropy;

/**
 * The forward and the backward of a training iteration of any registered model, timed apart (revnode Figure 5
 * plots them as separate lines): {@link #forward} is the training forward and the loss; {@link #backward} is the
 * backward of a forward that a per-invocation set-up ({@link PendingForward}) ran outside the clock. No optimizer update, so every
 * invocation sees the same weights. SampleTime mode; the median is the figure to quote.
 *
 * <p>Per-invocation set-up costs JMH a little per call, negligible against a backward of milliseconds.
 *
 * <p>Run: {@code ./revbench bench TrainingPhaseBenchmark -p model=vgg19-revnode -p batch=4 -p timesteps=8}.
 */
public class TrainingPhaseBenchmark extends ModelBenchmark {

    @Param("vgg11-lif")
    public String model;

    @Param("10")
    public int classes;

    private CrossEntropy loss;
    private NDArray firstWeight;
    private DeviceSync sync;

    @Override
    protected String model() { return model; }

    @Override
    protected ModelOptions options(ModelDefinition def) {
        return def.defaults().withClasses(classes);
    }

    @Override
    protected void prepare() {
        fixture.network().setMemorySaving(true);
        loss = CrossEntropy.plain();
        firstWeight = trainable().get(0).array(); // the input-most weight: its gradient is the backward's last result
        sync = DeviceSync.of(firstWeight);
    }

    /** Training forward and loss; the graph is dropped unused. */
    @Benchmark
    public void forward(Blackhole bh) {
        boolean before = Autograd.setRecording(true);
        try (ForwardPass pass = fixture.network().forwardTrain(fixture.batch().input());
             NDArray l = loss.loss(pass.logits(), fixture.batch().labels())) {
            bh.consume(l.toFloatArray()[0]); // reading the loss waits for the forward, on any device
        } finally {
            Autograd.setRecording(before);
        }
    }

    /**
     * A forward made outside the clock for one {@link #backward} invocation; a state of its own so that the
     * {@link #forward} benchmark does not pay for (or hold the memory of) a second graph.
     */
    @State(Scope.Thread)
    public static class PendingForward {
        ForwardPass pass;
        NDArray loss;
        private TrainingPhaseBenchmark owner;

        @Setup(Level.Invocation)
        public void forward(TrainingPhaseBenchmark b) {
            owner = b;
            boolean before = Autograd.setRecording(true);
            try {
                pass = b.fixture.network().forwardTrain(b.fixture.batch().input());
                loss = b.loss.loss(pass.logits(), b.fixture.batch().labels());
                loss.toFloatArray();
            } finally {
                Autograd.setRecording(before);
            }
        }

        @TearDown(Level.Invocation)
        public void drop() {
            loss.close();
            pass.close();
            owner.trainable().forEach(p -> Autograd.zeroGradient(p.array()));
        }
    }

    /** The backward of a forward made outside the clock. */
    @Benchmark
    public void backward(PendingForward f, Blackhole bh) {
        f.pass.backward(f.loss);
        try (NDArray g = Autograd.gradient(firstWeight)) {
            sync.await(g); // on a GPU the backward is only queued when it returns
            bh.consume(g);
        }
    }
}
