package org.revbench.harness.protocol;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.RowSettings;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecRow;

/**
 * What a protocol gets to measure one row at one scale: the model to build, the row's resolved settings, where
 * to log and keep files, and the provenance every measurement carries. Nothing here tells the protocol which paper
 * or model family it measures, and nothing should.
 *
 * @param workDir a folder private to this row, protocol and scale (checkpoints, logs)
 */
public record ProtocolContext(ExperimentSpec spec, SpecRow row, Scale scale, RowSettings settings, ModelDefinition model,
                              Provenance provenance, PrintWriter log, Path workDir) {

    /** The row this context measures, as {@code table row} (e.g. {@code trevsnn:table2 ms-resnet34-t4}). */
    public String where() {
        return spec.id() + " " + row.id();
    }

    /** The model's options for this row: its classes and time steps. */
    public ModelOptions options() {
        return model.defaults().withClasses(settings.classes()).withTimesteps(settings.timesteps());
    }

    /** A measurement of this row by {@code protocol}. */
    public Measurement measurement(String protocol, String metric, double value, String unit, Long seed,
                                   Map<String, Object> details) {
        return new Measurement(spec.id(), row.id(), model.id(), scale.id(), protocol, metric, value, unit, seed,
                settings.hash(model.id()), details, provenance);
    }
}
