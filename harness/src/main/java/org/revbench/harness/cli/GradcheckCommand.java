package org.revbench.harness.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.reversible.GradientCheck;
import org.revbench.core.train.SyntheticBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code revbench gradcheck MODEL}: the memory-saving backward against plain autograd, in float64. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Compare the memory-saving backward with plain autograd on the same weights and batch (float64): "
                + "the largest relative difference of the parameter gradients.")
final class GradcheckCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model id.")
    String modelId;

    @Option(names = "--batch", defaultValue = "2", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--timesteps", description = "Time steps (default: the model's).")
    Integer timesteps;

    @Option(names = "--seed", defaultValue = "2023", description = "Seed of the weights and the batch.")
    long seedValue;

    @Override
    protected Long seed() { return seedValue; }

    @Override
    protected int run() {
        requireAtLeast("--batch", batch, 1);
        ModelDefinition def = model(modelId);
        ModelOptions o = def.defaults().withSeed(seedValue).withDtype(DataType.FLOAT64);
        if (timesteps != null) {
            requireAtLeast("--timesteps", timesteps, 1);
            o = o.withTimesteps(timesteps);
        }
        startEngine();
        GradientCheck.Result r;
        try (NDManager m = Engines.newManager(); Network n = def.build(m, o);
             SyntheticBatch b = SyntheticBatch.of(m, def.input(), batch, o.timesteps(), o.classes(), DataType.FLOAT64, seedValue)) {
            r = GradientCheck.run(n, b.input(), b.labels());
        }
        GradientCheck.Row worst = r.rows().stream().max(java.util.Comparator.comparingDouble(GradientCheck.Row::maxRelDifference))
                .orElseThrow();
        out().printf(Locale.ROOT, "%s, float64, batch %d, T %d: %d parameter tensors, %d with a non-zero gradient%n", def.id(),
                batch, o.timesteps(), r.rows().size(), r.reached());
        out().printf(Locale.ROOT, "largest relative difference %.3e (%s)%n", r.maxRelDifference(), worst.parameter());
        out().flush();
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", def.id());
            m.put("dtype", "float64");
            m.put("batch", batch);
            m.put("timesteps", o.timesteps());
            m.put("parameters", r.rows().size());
            m.put("reached", r.reached());
            m.put("max_rel_difference", r.maxRelDifference());
            m.put("worst_parameter", worst.parameter());
            printJson(m);
        }
        return 0;
    }
}
