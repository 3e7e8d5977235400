package org.revbench.harness.cli;

import ai.djl.ndarray.types.DataType;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.reversible.GradientCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code revbench gradcheck MODEL}: the memory-saving backward against plain autograd, in float64 (or, with
 * {@code --dtype}, another precision: what decides whether a reduced precision could be trusted, docs/gpu.md).
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Compare the memory-saving backward with plain autograd on the same weights and batch (float64): "
                + "the largest relative difference of the parameter gradients.")
final class GradcheckCommand extends ModelCheckCommand {

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = "float64",
            description = "float64 (default), float32 or float16: the precision both backwards run in.")
    String dtype;

    @Override
    protected int run() {
        DataType type = switch (dtype) {
            case "float64" -> DataType.FLOAT64;
            case "float32" -> DataType.FLOAT32;
            case "float16" -> DataType.FLOAT16;
            default -> throw badOption("--dtype must be float64, float32 or float16, got '" + dtype + "'");
        };
        GradientCheck.Result r = onBatch(type,
                mb -> GradientCheck.run(mb.network(), mb.batch().input(), mb.batch().labels()));
        GradientCheck.Row worst = r.rows().stream().max(Comparator.comparingDouble(GradientCheck.Row::maxRelDifference))
                .orElseThrow();
        out().printf(Locale.ROOT, "%s: the input and %d parameter tensors, %d with a non-zero gradient%n", setting(),
                r.rows().size() - 1, r.reached());
        out().printf(Locale.ROOT, "input gradient: largest relative difference %.3e%n", r.rows().get(0).maxRelDifference());
        out().printf(Locale.ROOT, "largest relative difference %.3e (%s)%n", r.maxRelDifference(), worst.parameter());
        out().flush();
        if (json()) {
            Map<String, Object> m = settingJson();
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
