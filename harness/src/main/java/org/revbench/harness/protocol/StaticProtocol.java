package org.revbench.harness.protocol;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.Network;
import org.revbench.core.nn.StatisticsRecorder;
import org.revbench.harness.result.Measurement;

/**
 * Architecture-only numbers, once per model: trainable parameters and multiply-accumulates per image over all
 * time steps (a profiling forward with batch 1 at the model's own input size).
 */
public final class StaticProtocol implements Protocol {

    @Override
    public String name() { return "static"; }

    @Override
    public List<Measurement> measure(ProtocolContext c) {
        Engines.start();
        try (NDManager manager = Engines.newManager(c.device()); Network net = c.model().build(manager, c.options())) {
            StatisticsRecorder rec = net.profile();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("classes", c.settings().classes());
            d.put("timesteps", c.settings().timesteps());
            d.put("input", c.model().input().toString());
            d.put("layers", rec.entries().size());
            return List.of(
                    c.measurement(name(), "params", net.trainableParameters(), "count", null, d),
                    c.measurement(name(), "macs", rec.macsPerImage(), "MAC/img", null, d));
        }
    }
}
