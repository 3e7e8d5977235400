package org.revbench.harness.spec;

import java.util.List;
import java.util.Optional;

/**
 * One results table or figure as data: its rows and how each runs at every scale. A paper's spec reproduces one of
 * its tables; a study's spec ({@code study:} in place of {@code paper:}) compares models of several papers under one
 * protocol and lives outside every paper's module ({@link SpecCatalog}).
 *
 * @param owner  the paper ({@code pararevsnn}, {@code revnode}, {@code trevsnn}) or study ({@code memory-methods})
 *               it belongs to
 * @param study  whether the owner is a study rather than a paper
 * @param table  table or figure key ({@code table2}, {@code figure3})
 * @param title  as the paper captions it
 * @param source where the rows come from (the paper's table, the docs/papers.md section)
 * @param file   the spec file it was read from (for messages)
 */
public record ExperimentSpec(String owner, boolean study, String table, String title, String source, String file,
                             List<SpecRow> rows) {

    /** {@code owner:table}, the key results are stored under. */
    public String id() {
        return owner + ":" + table;
    }

    public Optional<SpecRow> row(String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
