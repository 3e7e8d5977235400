package org.revbench.reports.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.revbench.harness.cli.GridOptions;
import org.revbench.harness.cli.RevBench;
import org.revbench.harness.result.ResultQuery;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.spec.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code revbench reproduce}: the grid of every catalogued table at one scale, then the report. What
 * {@code mvn verify -Preproduce} runs. The grid skips what the store holds for this commit, so an interrupted
 * reproduction resumes; the report is written even when a measurement failed, and the exit status says so.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Run every table's grid at one scale (resuming what is stored), then write the report.",
                "The report shows this scale's numbers, and the paper scale's instead where those are stored."})
public final class ReproduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GridOptions grid;

    @Mixin
    ReportOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        Scale s;
        try {
            s = grid.scale();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage()); // one line, no trace
        }
        List<String> args = new ArrayList<>(List.of("run", "--all", "--scale", s.id()));
        if (options.db.url() != null) {
            args.addAll(List.of("--db", options.db.url()));
        }
        if (grid.workDir() != null) {
            args.addAll(List.of("--work-dir", grid.workDir().toString()));
        }
        if (grid.deviceName() != null) {
            args.addAll(List.of("--device", grid.deviceName()));
        }
        int exit = RevBench.commandLine().execute(args.toArray(String[]::new));
        if (exit == 2) {
            return exit; // nothing ran (a bad option, or a device this build has not): its one line said why
        }
        // a paper-scale number, where one is stored (a GPU run of the full protocol), outranks a reduced one
        List<String> scales = s == Scale.PAPER ? List.of(s.id()) : List.of(Scale.PAPER.id(), s.id());
        Path index;
        try (ResultStore store = options.openStore()) {
            index = ReportCommand.write(store.find(ResultQuery.all()), scales, options.outOrDefault(), store.displayUrl());
        }
        w.println();
        w.println("Report: " + index.toAbsolutePath());
        if (exit != 0) {
            w.println("Some measurements failed (see above); the report marks them not run. Run again to retry them.");
        }
        w.flush();
        return exit;
    }
}
