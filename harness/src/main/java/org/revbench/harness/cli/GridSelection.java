package org.revbench.harness.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.revbench.core.model.ModelRegistry;
import org.revbench.harness.protocol.Protocols;
import org.revbench.harness.run.GridRunner;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecCatalog;
import org.revbench.harness.spec.SpecException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Which part of the grid a command measures: tables ({@code --table}, {@code --all}), rows and protocols; or
 * {@code --list} to show the specs. Mixed into {@code run} and {@code plan}, which measure the same selection, one
 * in this process and the other through the store's work queue.
 */
final class GridSelection {

    static final class Tables {
        @Option(names = "--table", paramLabel = "PAPER:TABLE", description = "A spec, e.g. pararevsnn:table2 (repeatable).")
        List<String> tables;

        @Option(names = "--all", description = "Every spec in the catalog.")
        boolean all;

        @Option(names = "--list", description = "List the specs and their rows, measure nothing.")
        boolean list;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Tables selection;

    @Option(names = "--row", paramLabel = "ID", description = "Only these rows (repeatable; default: every row).")
    List<String> rows;

    @Option(names = "--protocol", paramLabel = "NAME",
            description = "Only these protocols (repeatable: static, memory, latency, train, invertibility, trajectory, crosscheck;"
                    + " default: all).")
    List<String> protocols;

    /** The spec catalog of the registered models. */
    SpecCatalog catalog() {
        ModelRegistry registry = ModelRegistry.load();
        try {
            return SpecCatalog.load(id -> registry.ids().contains(id));
        } catch (SpecException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        }
    }

    /**
     * The selected specs at {@code scale} ({@link #specs}), or empty when {@code --list} asked for the list, which this
     * prints to {@code out}.
     */
    java.util.Optional<List<ExperimentSpec>> resolve(Scale scale, PrintWriter out) {
        SpecCatalog catalog = catalog();
        return listed(catalog, out) ? java.util.Optional.empty() : java.util.Optional.of(specs(catalog, scale));
    }

    /** Whether {@code --list} asked for the list, which this prints. */
    boolean listed(SpecCatalog catalog, PrintWriter out) {
        if (!selection.list) {
            return false;
        }
        for (ExperimentSpec e : catalog.specs()) {
            out.printf("%-26s %2d rows  %s%n", e.id(), e.rows().size(), e.title());
        }
        out.flush();
        return true;
    }

    /**
     * The selected specs, checked at {@code scale}: a {@code --row} that no selected table has, an unknown protocol, or
     * rows none of which runs at this scale are refused, since measuring nothing would otherwise "pass". The message
     * lists the rows there are.
     */
    List<ExperimentSpec> specs(SpecCatalog catalog, Scale scale) {
        List<ExperimentSpec> specs = new ArrayList<>();
        try {
            if (selection.all) {
                specs.addAll(catalog.specs());
            } else {
                for (String t : selection.tables) {
                    specs.add(catalog.get(t));
                }
            }
        } catch (SpecException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        }
        List<String> known = specs.stream().flatMap(e -> e.rows().stream()).map(r -> r.id()).distinct().toList();
        String tables = specs.stream().map(ExperimentSpec::id).collect(Collectors.joining(", "));
        if (rows != null) {
            List<String> unknown = rows.stream().filter(r -> !known.contains(r)).toList();
            if (!unknown.isEmpty()) {
                throw new CliException(CliException.USAGE, "no row " + String.join(", ", unknown) + " in " + tables
                        + "; its rows: " + String.join(", ", known),
                        Map.of("unknown_rows", unknown, "rows", known), null);
            }
        }
        if (protocols != null) {
            List<String> unknown = protocols.stream().filter(p -> !Protocols.names().contains(p)).toList();
            if (!unknown.isEmpty()) {
                throw new CliException(CliException.USAGE, "no protocol " + String.join(", ", unknown) + "; protocols: "
                        + String.join(", ", Protocols.names()));
            }
        }
        List<String> notRun = new ArrayList<>();
        if (GridRunner.plan(specs, scale, rows(), protocols(), notRun).isEmpty()) {
            throw new CliException(CliException.USAGE, "nothing to measure: no selected row of " + tables + " runs at "
                    + scale.id() + " scale" + (notRun.isEmpty() ? "" : " (" + String.join("; ", notRun) + ")")
                    + "; its rows: " + String.join(", ", known), Map.of("rows", known, "not_run", notRun), null);
        }
        return specs;
    }

    /** The settings at {@code scale} of every task of {@code specs} selected (what decides a grid's device). */
    List<org.revbench.harness.spec.RowSettings> settings(List<ExperimentSpec> specs, Scale scale) {
        return GridRunner.plan(specs, scale, rows(), protocols(), new ArrayList<>()).stream()
                .map(GridRunner.Task::settings).toList();
    }

    /** The rows selected by {@code --row} (every row without it). */
    Predicate<String> rows() {
        return id -> rows == null || rows.contains(id);
    }

    /** The protocols selected by {@code --protocol} (every protocol without it). */
    Predicate<String> protocols() {
        return p -> protocols == null || protocols.contains(p);
    }
}
