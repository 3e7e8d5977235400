package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.spec.Scale;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The options several commands take are declared once, in a mixin, and each mixin checks and reads its option. */
class SharedOptionsTest {

    /** Options that mean the same in every command that takes them, with the mixin that declares them. */
    static final Map<String, Class<?>> DECLARED_ONCE = Map.of("--db", StoreOptions.class, "--data-dir",
            DataDirOption.class, "--work-dir", WorkDirOption.class, "--json", CommonOptions.class, "--threads",
            CommonOptions.class);

    @Test
    void everyCommandTakesTheSharedOptionsFromTheirMixin() {
        List<String> seen = new ArrayList<>();
        for (CommandLine c : commands(RevBench.commandLine(), new ArrayList<>())) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                Class<?> mixin = DECLARED_ONCE.get(o.longestName());
                if (mixin != null) {
                    assertEquals(mixin, ((Field) o.userObject()).getDeclaringClass(),
                            c.getCommandSpec().qualifiedName() + " declares " + o.longestName() + " itself");
                    seen.add(c.getCommandSpec().qualifiedName() + " " + o.longestName());
                }
            }
        }
        for (String s : List.of("revbench run --db", "revbench results list --db", "revbench run --work-dir",
                "revbench worker --work-dir", "revbench submit --work-dir", "revbench plan --db", "revbench worker --db", "revbench status --db",
                "revbench train --data-dir", "revbench data check --data-dir", "revbench data make-events --data-dir")) {
            assertTrue(seen.contains(s), s + " not found in " + seen);
        }
    }

    private static List<CommandLine> commands(CommandLine c, List<CommandLine> all) {
        all.add(c);
        c.getSubcommands().values().forEach(s -> commands(s, all));
        return all;
    }

    @Test
    void theGridOptionsParseTheScaleAndDefaultTheWorkDirectory(@TempDir Path tmp) {
        GridOptions none = new GridOptions();
        new CommandLine(none).parseArgs();
        assertEquals(Scale.CPU, none.scale());
        assertNull(none.workDir());
        assertEquals(Path.of(System.getProperty("user.home"), ".revbench", "runs"), none.workDirOrDefault());

        GridOptions given = new GridOptions();
        new CommandLine(given).parseArgs("--scale", "smoke", "--work-dir", tmp.toString());
        assertEquals(Scale.SMOKE, given.scale());
        assertEquals(tmp, given.workDirOrDefault());
    }

    @Test
    void anUnknownScaleIsAUsageErrorNamingTheKnownOnes() {
        RevBenchCliTest.Run r = RevBenchCliTest.run("run", "--table", "pararevsnn:table2", "--scale", "gpu");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("unknown scale 'gpu' (known: ") && r.err().contains("Usage:"), r::toString);
    }

    @Test
    void theStoreOptionsOpenTheStoreTheyName(@TempDir Path tmp) {
        StoreOptions none = new StoreOptions();
        new CommandLine(none).parseArgs();
        assertNull(none.url());

        StoreOptions given = new StoreOptions();
        String url = "jdbc:h2:file:" + tmp.resolve("shared");
        new CommandLine(given).parseArgs("--db", url);
        assertEquals(url, given.url());
        try (var store = given.open()) {
            assertTrue(store.displayUrl().contains("shared"), store.displayUrl());
        }
    }

    @Test
    void theDataDirectoryIsTheOneGiven(@TempDir Path tmp) {
        DataDirOption given = new DataDirOption();
        new CommandLine(given).parseArgs("--data-dir", tmp.toString());
        assertEquals(tmp.toAbsolutePath().normalize(), given.resolve().root());
    }

    @Test
    void classesAndTimestepsAreCheckedWhereverTheyAreTaken() {
        for (String[] args : new String[][] {{"params", "ms-resnet18", "--classes", "1"},
                {"memory", "ms-resnet18", "--batch", "1", "--timesteps", "1", "--classes", "1"}}) {
            RevBenchCliTest.Run r = RevBenchCliTest.run(args);
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().contains("--classes must be at least 2, got 1"), r::toString);
        }
        for (String[] args : new String[][] {{"params", "ms-resnet18", "--timesteps", "0"},
                {"invert", "pararevsnn24-dvs", "--timesteps", "0"}, {"gradcheck", "revsresnet24-dvs", "--timesteps", "0"}}) {
            RevBenchCliTest.Run r = RevBenchCliTest.run(args);
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().contains("--timesteps must be at least 1, got 0"), r::toString);
            assertFalse(r.out().contains("batch"), "nothing was built:\n" + r);
        }
    }
}
