package org.revbench.harness.spec;

import java.util.Map;

/**
 * One row of a paper's table: a model under one protocol, with its settings resolved at every scale.
 *
 * @param id       unique within its table, stable (results are stored under it)
 * @param model    a model id from the registry, or null for a row the paper quotes from another paper (it does not
 *                 run at any scale: {@link RowSettings#notRun()} says where it is quoted from)
 * @param label    the row as the paper prints it (e.g. "RevSResNet ResNet37")
 * @param group    the paper's column group or sub-table this row belongs to (e.g. the dataset), may be null
 * @param role     in a study, what the others are compared with: {@value #BASELINE} (the method every saving is
 *                 measured against) or {@value #ALTERNATIVE} (the established alternative each is also set against);
 *                 null for every other row
 */
public record SpecRow(String id, String model, String label, String group, String role, Map<Scale, RowSettings> scales) {

    public static final String BASELINE = "baseline";
    public static final String ALTERNATIVE = "alternative";

    public RowSettings at(Scale scale) {
        return scales.get(scale);
    }

    /** Whether the paper quotes this row from elsewhere (no model of ours). */
    public boolean quoted() {
        return model == null;
    }
}
