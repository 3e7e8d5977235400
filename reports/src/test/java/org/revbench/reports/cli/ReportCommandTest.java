package org.revbench.reports.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.cli.GridOptions;
import org.revbench.harness.cli.ScaleOption;
import org.revbench.harness.cli.WorkDirOption;
import org.revbench.harness.cli.RevBench;
import org.revbench.harness.cli.StoreOptions;
import picocli.CommandLine;

class ReportCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int revbench(String... args) {
        CommandLine cl = RevBench.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void revbenchFindsTheReportCommandsThroughTheirExtension() {
        CommandLine cl = RevBench.commandLine();
        assertTrue(cl.getSubcommands().containsKey("report"));
        assertTrue(cl.getSubcommands().containsKey("reproduce"));
    }

    @Test
    void reportRendersAJsonExportAndPrintsTheIndexPath() throws Exception {
        Path report = dir.resolve("r");
        assertEquals(0, revbench("report", "--from", "../baselines/cpu.json", "--out", report.toString(), "--scale", "cpu"),
                err::toString);
        assertEquals(report.resolve("index.html").toAbsolutePath().toString(), out.toString().strip());
        assertTrue(Files.readString(report.resolve("pararevsnn.html")).contains("Table 3"));
    }

    @Test
    void anUnknownScaleOrAMissingFileIsAClearError() {
        assertNotEquals(0, revbench("report", "--from", "../baselines/cpu.json", "--out", dir.toString(), "--scale", "gpu"));
        assertTrue(err.toString().contains("gpu"), err::toString);
        Path missing = dir.resolve("nothing.json");
        assertNotEquals(0, revbench("report", "--from", missing.toString(), "--out", dir.toString()));
        assertTrue(err.toString().contains("nothing.json"), err::toString);
    }

    @Test
    void theReportCommandsTakeTheHarnessStoreAndGridOptions() {
        CommandLine cl = RevBench.commandLine();
        for (String command : new String[] {"report", "reproduce"}) {
            assertEquals(StoreOptions.class, declaredIn(cl.getSubcommands().get(command), "--db"), command);
        }
        assertEquals(ScaleOption.class, declaredIn(cl.getSubcommands().get("reproduce"), "--scale"));
        assertEquals(WorkDirOption.class, declaredIn(cl.getSubcommands().get("reproduce"), "--work-dir"));
    }

    private static Class<?> declaredIn(CommandLine command, String option) {
        return ((Field) command.getCommandSpec().findOption(option).userObject()).getDeclaringClass();
    }

    @Test
    void reproduceRefusesAnUnknownScaleBeforeRunningAnything() {
        assertNotEquals(0, revbench("reproduce", "--scale", "gpu", "--out", dir.toString()));
        assertTrue(err.toString().contains("unknown scale 'gpu'"), err::toString);
        assertFalse(Files.exists(dir.resolve("index.html")), "no report either");
    }
}
