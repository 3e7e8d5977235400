package org.revbench.harness.cli;

import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.train.ModelOnBatch;
import picocli.CommandLine.Mixin;

/**
 * A check of one model on a random batch ({@code invert}, {@code gradcheck}): the options, the model built on the
 * batch in the check's dtype, and the setting each report begins with.
 */
abstract class ModelCheckCommand extends BaseCommand {

    @Mixin
    ModelBatchOptions check;

    private ModelDefinition def;
    private ModelOptions options;

    @Override
    protected Long seed() { return check.seed; }

    /** Checks the options, builds the model in {@code dtype} on the batch, applies {@code work}, then closes both. */
    protected <R> R onBatch(DataType dtype, Function<ModelOnBatch, R> work) {
        def = model(check.modelId);
        options = check.options(this, def, dtype);
        startEngine();
        try (ModelOnBatch mb = ModelOnBatch.open(def, options, check.batch, check.seed, device(check.device))) {
            return work.apply(mb);
        }
    }

    /** The model checked (after {@link #onBatch}). */
    protected ModelDefinition definition() { return def; }

    /** "MODEL, DTYPE, batch B, T T": the first words of the report (DJL names a dtype as it is typed: float64). */
    protected String setting() {
        return String.format(Locale.ROOT, "%s, %s, batch %d, T %d", def.id(), options.dtype(), check.batch,
                options.timesteps());
    }

    /** The setting as the first fields of the JSON object: model, dtype, batch, timesteps. */
    protected Map<String, Object> settingJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", def.id());
        m.put("dtype", options.dtype().toString());
        m.put("batch", check.batch);
        m.put("timesteps", options.timesteps());
        return m;
    }
}
