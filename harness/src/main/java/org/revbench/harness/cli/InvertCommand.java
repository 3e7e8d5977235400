package org.revbench.harness.cli;

import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.reversible.InvertibilityAudit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code revbench invert MODEL}: reconstruct every reversible stage's input from its output; report the errors. */
@Command(name = "invert", mixinStandardHelpOptions = true,
        description = "Forward a random batch and reconstruct every reversible stage's input from its output: the "
                + "largest absolute and relative reconstruction error per stage and overall.")
final class InvertCommand extends ModelCheckCommand {

    enum Dtype { float64, float32 }

    @Option(names = "--dtype", defaultValue = "float64", description = "float64 (default) or float32.")
    Dtype dtype;

    @Override
    protected int run() {
        InvertibilityAudit.Result r = onBatch(dtype == Dtype.float64 ? DataType.FLOAT64 : DataType.FLOAT32, mb -> {
            if (!(mb.network() instanceof SegmentedNetwork sn)) {
                throw new CliException(CliException.USAGE, definition().id() + " is not built from segments");
            }
            return InvertibilityAudit.run(sn, mb.batch().input());
        });
        if (r.stages().isEmpty()) {
            throw new CliException(CliException.USAGE, definition().id() + " has no reversible stages (try `revbench models`)");
        }
        out().printf(Locale.ROOT, "%s%n", setting());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (InvertibilityAudit.Stage s : r.stages()) {
            out().printf(Locale.ROOT, "  stage %d (%s, %d blocks): max abs error %.3e, max rel error %.3e%n", s.index() + 1,
                    s.segment(), s.blocks(), s.maxAbsError(), s.maxRelError());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stage", s.index() + 1);
            row.put("segment", s.segment());
            row.put("blocks", s.blocks());
            row.put("max_abs_error", s.maxAbsError());
            row.put("max_rel_error", s.maxRelError());
            rows.add(row);
        }
        out().printf(Locale.ROOT, "overall: max abs error %.3e, max rel error %.3e%n", r.maxAbsError(), r.maxRelError());
        out().flush();
        if (json()) {
            Map<String, Object> m = settingJson();
            m.put("stages", rows);
            m.put("max_abs_error", r.maxAbsError());
            m.put("max_rel_error", r.maxRelError());
            printJson(m);
        }
        return 0;
    }
}
