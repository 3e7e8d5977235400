package org.revbench.reports;

import java.util.Map;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.SpecLoader;

/** Small specs and measurements for the report's tests. */
public final class Fixtures {

    private Fixtures() {}

    /** A two-row spec, {@code demo:t1}, with a cpu reduction that does not train the second row. */
    public static final String SPEC = """
            paper: demo
            table: t1
            title: "Table 1: demo"
            source: "test"
            defaults:
              dataset: cifar10
              classes: 10
              timesteps: 4
              neuron: IF
              optimizer: {name: sgd, lr: 0.1, momentum: 0.9, weight_decay: 1.0e-4}
              schedule: {name: constant}
              epochs: 200
              batch: 32
              augmentation: []
              seeds: [1, 2]
              columns: [params, memory, inference, accuracy]
              latency: {batch: 8, forks: 1, warmup: 1, iterations: 1, seconds: 1}
            scales:
              cpu:
                note: "a reduced protocol"
                epochs: 1
              smoke:
                note: "tests"
            rows:
              - {id: a, model: model-a, label: "Model A", group: g}
              - {id: b, model: model-b, label: "Model B", group: g, scales: {cpu: {columns: [params, memory, inference]}}}
              - {id: c, model: model-c, label: "Model C", group: g, scales: {cpu: {not_run: "needs the real files"}}}
            """;

    /** The head of a reference file for the demo paper, before its values and claims. */
    public static final String REFERENCE_HEAD = """
            paper: demo
            title: "Demo"
            authors: "Someone"
            setting: "a GPU"
            precision: {value: float32, source: "Sec. 1"}
            tables: [t1]
            """;

    public static ExperimentSpec spec() {
        return SpecLoader.read(SPEC, "demo/t1.yaml", m -> true);
    }

    public static Measurement m(String row, String scale, String metric, double value, Long seed, String timestamp) {
        Provenance p = new Provenance("0123456789abcdef", false, "17", "jvm", "0.35.1", "2.7.1", "Linux", "cpu", 2, 2,
                seed, timestamp);
        return new Measurement("demo:t1", row, "model-" + row, scale, "proto", metric, value, "u", seed, "hash", Map.of(), p);
    }
}
