package org.revbench.harness.protocol;

import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.reversible.InvertibilityAudit;
import org.revbench.core.train.ModelOnBatch;
import org.revbench.harness.result.Measurement;

/**
 * The reconstruction audit of a reversible model: forward a random batch, reconstruct every reversible stage's
 * input from its output, and report the largest absolute and relative error, in float64 (the bound) and float32
 * (what training sees).
 */
public final class InvertibilityProtocol implements Protocol {

    @Override
    public String name() { return "invertibility"; }

    @Override
    public List<Measurement> measure(ProtocolContext c) {
        Engines.start();
        List<Measurement> out = new ArrayList<>();
        long seed = c.settings().seeds().get(0);
        for (DataType dtype : List.of(DataType.FLOAT64, DataType.FLOAT32)) {
            ModelOptions o = c.options().withDtype(dtype);
            InvertibilityAudit.Result r;
            try (ModelOnBatch mb = ModelOnBatch.open(c.model(), o, c.settings().batch(), seed)) {
                if (!(mb.network() instanceof SegmentedNetwork sn)) {
                    throw new ProtocolException(c.model().id() + " is not built from segments: nothing to invert");
                }
                r = InvertibilityAudit.run(sn, mb.batch().input());
            }
            if (r.stages().isEmpty()) {
                throw new ProtocolException(c.model().id() + " has no reversible stage");
            }
            String suffix = dtype == DataType.FLOAT64 ? "float64" : "float32";
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("dtype", suffix);
            d.put("batch", c.settings().batch());
            d.put("timesteps", c.settings().timesteps());
            d.put("stages", r.stages().size());
            d.put("blocks", r.stages().stream().mapToInt(InvertibilityAudit.Stage::blocks).sum());
            d.put("per_stage_max_abs_error", r.stages().stream().map(InvertibilityAudit.Stage::maxAbsError).toList());
            out.add(c.measurement(name(), "max_abs_error_" + suffix, r.maxAbsError(), "abs", seed, d));
            out.add(c.measurement(name(), "max_rel_error_" + suffix, r.maxRelError(), "rel", seed, d));
            c.log().printf("    %s: max abs %.3e, max rel %.3e over %d stages%n", suffix, r.maxAbsError(), r.maxRelError(),
                    r.stages().size());
        }
        return out;
    }
}
