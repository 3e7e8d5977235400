package org.revbench.core.paper;

import java.util.List;
import java.util.Objects;

/**
 * One paper that RevBench reproduces, as its models module declares it: what the report calls it and where its
 * data lies on the class path. A paper's module owns everything about it: its models, its experiment specs
 * ({@code specs/<id>/<table>.yaml}, one per table or figure, hyper-parameters and rows as data) and its reference
 * file ({@code references/<id>.yaml}: the paper's printed values, claims, notes and discrepancies). The harness and
 * the reports find papers only through {@link PaperRegistry}; neither names one.
 *
 * @param id       lower case, the prefix of its spec ids ({@code <id>:<table>}) and of its resource folders
 * @param name     what the report calls it, e.g. "T-RevSNN"
 * @param title    the paper's title with authors and venue, as the index lists it
 * @param tables   its specs, in the order its report page shows them (each {@code specs/<id>/<table>.yaml})
 */
public record Paper(String id, String name, String title, List<String> tables) {

    public Paper {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(title, "title");
        if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("paper id '" + id + "' is not lower case with hyphens");
        }
        tables = List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("paper " + id + " lists no spec");
        }
    }

    /** The class-path resource of one of its specs. */
    public String specResource(String table) { return "specs/" + id + "/" + table + ".yaml"; }

    /** The class-path resources of its specs, in order. */
    public List<String> specResources() { return tables.stream().map(this::specResource).toList(); }

    /** The class-path resource of its reference file. */
    public String referenceResource() { return "references/" + id + ".yaml"; }
}
