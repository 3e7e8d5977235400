package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster commands' refusals: one line that says why and what to use, and the JSON object with --json. */
class ClusterCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void planWorkerStatusAndSubmitRefuseAnH2StoreInOneLine() {
        String h2 = "jdbc:h2:file:" + tmp.resolve("results");
        for (String[] args : new String[][] {
                {"plan", "--table", "pararevsnn:table2", "--scale", "smoke", "--db", h2, "--json"},
                {"worker", "--db", h2, "--json"},
                {"status", "--db", h2, "--json"},
                {"submit", "--scheduler", "slurm", "--workers", "2", "--dry-run", "--db", h2, "--json"}}) {
            RevBenchCliTest.Run r = RevBenchCliTest.run(args);
            assertEquals(2, r.exit(), args[0] + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("H2 database serves one machine only") && r.err().contains("jdbc:postgresql://"),
                    r.err());
            assertTrue(r.json().get("error").getAsString().contains("one machine only"), r.out());
        }
    }

    @Test
    void submitRefusesAnotherSchedulerAndABadTimeBeforeAnythingElse() {
        RevBenchCliTest.Run r = RevBenchCliTest.run("submit", "--scheduler", "pbs", "--workers", "2", "--json");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("only slurm"), r.err());
    }
}
