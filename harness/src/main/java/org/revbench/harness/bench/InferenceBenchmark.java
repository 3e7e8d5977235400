package org.revbench.harness.bench;

import ai.djl.ndarray.NDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Blackhole;
import org.revbench.core.engine.DeviceSync;

/**
 * Inference latency of any registered model: evaluation-mode forward of one batch, nothing recorded. The score is
 * per batch; divide by the batch for microseconds per image (the papers' unit). SampleTime: quote the median.
 * Where the model is on a GPU, each call ends by copying a scalar of the logits to the host ({@link DeviceSync}), so
 * the time includes the device's work.
 */
public class InferenceBenchmark extends ModelBenchmark {

    @Param("revsresnet37")
    public String model;

    private DeviceSync sync;

    @Override
    protected String model() { return model; }

    @Override
    protected void prepare() {
        sync = DeviceSync.of(fixture.network().parameters().get(0).array());
    }

    @Benchmark
    public void inference(Blackhole bh) {
        try (NDArray logits = fixture.network().predict(fixture.batch().input())) {
            sync.await(logits); // on a GPU the forward is only queued until its result is read
            bh.consume(logits.getShape());
        }
    }
}
