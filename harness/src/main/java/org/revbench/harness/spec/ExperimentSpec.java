package org.revbench.harness.spec;

import java.util.List;
import java.util.Optional;

/**
 * One paper table or figure as data: its rows and how each runs at every scale.
 *
 * @param paper  paper key ({@code pararevsnn}, {@code revnode}, {@code trevsnn})
 * @param table  table or figure key ({@code table2}, {@code figure3})
 * @param title  as the paper captions it
 * @param source where the rows come from (the paper's table, the docs/papers.md section)
 * @param file   the spec file it was read from (for messages)
 */
public record ExperimentSpec(String paper, String table, String title, String source, String file, List<SpecRow> rows) {

    /** {@code paper:table}, the key results are stored under. */
    public String id() {
        return paper + ":" + table;
    }

    public Optional<SpecRow> row(String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
