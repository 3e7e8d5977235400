package org.revbench.harness.cli;

import ai.djl.ndarray.types.DataType;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.reversible.GradientCheck;
import picocli.CommandLine.Command;

/** {@code revbench gradcheck MODEL}: the memory-saving backward against plain autograd, in float64. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Compare the memory-saving backward with plain autograd on the same weights and batch (float64): "
                + "the largest relative difference of the parameter gradients.")
final class GradcheckCommand extends ModelCheckCommand {

    @Override
    protected int run() {
        GradientCheck.Result r = onBatch(DataType.FLOAT64,
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
