package org.revbench.harness.protocol;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
 * @param seeds   which of the row's seeds to measure now: all of {@link RowSettings#seeds()}, or for a protocol that
 *                measures {@linkplain Protocol#eachSeedApart() each seed apart} those a grid has not stored yet (a
 *                cluster's work item is one seed); the settings, and so the spec hash, stay the whole row's
 */
public record ProtocolContext(ExperimentSpec spec, SpecRow row, Scale scale, RowSettings settings, ModelDefinition model,
                              Provenance provenance, PrintWriter log, Path workDir, List<Long> seeds) {

    public ProtocolContext {
        seeds = List.copyOf(seeds);
        if (!settings.seeds().containsAll(seeds)) {
            throw new IllegalArgumentException(spec.id() + " " + row.id() + ": seeds " + seeds + " are not all among the"
                    + " row's seeds " + settings.seeds());
        }
    }

    /** Every seed of the row. */
    public ProtocolContext(ExperimentSpec spec, SpecRow row, Scale scale, RowSettings settings, ModelDefinition model,
                           Provenance provenance, PrintWriter log, Path workDir) {
        this(spec, row, scale, settings, model, provenance, log, workDir, settings.seeds());
    }

    /**
     * Where the protocol computes, as its provenance names it (the CPU where it names none): every model, batch and
     * data loader it makes lives there, and a forked measuring process is told it.
     */
    public Device device() {
        return provenance.computeDevice();
    }

    /** The row this context measures, as {@code table row} (e.g. {@code trevsnn:table2 ms-resnet34-t4}). */
    public String where() {
        return spec.id() + " " + row.id();
    }

    /** The model's options for this row: its classes and time steps. */
    public ModelOptions options() {
        return model.defaults().withClasses(settings.classes()).withTimesteps(settings.timesteps());
    }

    /** A measurement of this row by {@code protocol}, measured now. */
    public Measurement measurement(String protocol, String metric, double value, String unit, Long seed,
                                   Map<String, Object> details) {
        return measurement(protocol, metric, value, unit, seed, details, Provenance.now());
    }

    /**
     * A measurement of this row by {@code protocol}, measured at {@code measuredAt} (UTC, seconds): its provenance is
     * the run's, stamped with the moment the number came to be rather than the moment the run started.
     */
    public Measurement measurement(String protocol, String metric, double value, String unit, Long seed,
                                   Map<String, Object> details, String measuredAt) {
        return new Measurement(spec.id(), row.id(), model.id(), scale.id(), protocol, metric, value, unit, seed,
                settings.hash(model.id()), details, provenance.at(measuredAt));
    }

    /**
     * The identity of what this row's protocol measures here: scale, spec hash and code version (commit and
     * uncommitted changes), or this run where the code version cannot be told. Files a protocol keeps between runs
     * (checkpoints, finished seeds) are named by it, so a file made by other code or settings is never reused.
     */
    public String identity(String protocol) {
        return Measurement.taskIdentity(spec.id(), row.id(), scale.id(), protocol, settings.hash(model.id()), provenance)
                .substring(0, 16);
    }
}
