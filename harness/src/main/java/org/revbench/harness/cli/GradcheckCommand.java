package org.revbench.harness.cli;

import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.reversible.GradientCheck;
import org.revbench.core.train.ModelOnBatch;
import picocli.CommandLine.Command;

/** {@code revbench gradcheck MODEL}: the memory-saving backward against plain autograd, in float64. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Compare the memory-saving backward with plain autograd on the same weights and batch (float64): "
                + "the largest relative difference of the parameter gradients.")
final class GradcheckCommand extends BaseCommand {

    @picocli.CommandLine.Mixin
    ModelBatchOptions check;

    @Override
    protected Long seed() { return check.seed; }

    @Override
    protected int run() {
        ModelDefinition def = model(check.modelId);
        ModelOptions o = check.options(this, def, DataType.FLOAT64);
        startEngine();
        GradientCheck.Result r;
        try (ModelOnBatch mb = ModelOnBatch.open(def, o, check.batch, check.seed)) {
            r = GradientCheck.run(mb.network(), mb.batch().input(), mb.batch().labels());
        }
        GradientCheck.Row worst = r.rows().stream().max(java.util.Comparator.comparingDouble(GradientCheck.Row::maxRelDifference))
                .orElseThrow();
        out().printf(Locale.ROOT, "%s, float64, batch %d, T %d: the input and %d parameter tensors, %d with a non-zero gradient%n",
                def.id(), check.batch, o.timesteps(), r.rows().size() - 1, r.reached());
        out().printf(Locale.ROOT, "input gradient: largest relative difference %.3e%n", r.rows().get(0).maxRelDifference());
        out().printf(Locale.ROOT, "largest relative difference %.3e (%s)%n", r.maxRelDifference(), worst.parameter());
        out().flush();
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", def.id());
            m.put("dtype", "float64");
            m.put("batch", check.batch);
            m.put("timesteps", o.timesteps());
            m.put("parameters", r.rows().size() - 1);
            m.put("input_rel_difference", r.rows().get(0).maxRelDifference());
            m.put("reached", r.reached());
            m.put("max_rel_difference", r.maxRelDifference());
            m.put("worst_parameter", worst.parameter());
            printJson(m);
        }
        return 0;
    }
}
