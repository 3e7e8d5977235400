package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.TestPostgres;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.WorkItem;

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

    @RegisterExtension
    static final TestPostgres server = new TestPostgres();

    /**
     * The papers' scale on a machine without a GPU: planning needs none (the workers compute), and its items are the
     * GPU's, as the specs say; a submission gives its GPU workers --device cuda:0; a worker asked for a GPU this build
     * cannot use stops in one line before it claims anything.
     */
    @Test
    void thePapersScaleIsPlannedForTheGpuAndOnlyAGpuWorkerTakesIt() {
        String db = server.newSchemaUrl() + "&user=" + server.user();
        RevBenchCliTest.Run plan = RevBenchCliTest.run("plan", "--table", "pararevsnn:table2", "--scale", "paper",
                "--row", "cifar10-ms-resnet18", "--protocol", "static", "--db", db, "--json");
        assertEquals(0, plan.exit(), plan::toString);
        assertEquals(1, plan.json().get("items").getAsInt(), plan::toString);
        try (ResultStore store = server.open(db)) {
            List<WorkItem> items = store.queue().items(List.of());
            assertEquals(List.of("cuda:0"), items.stream().map(WorkItem::device).toList());
        }
        RevBenchCliTest.Run submit = RevBenchCliTest.run("submit", "--scheduler", "slurm", "--workers", "1",
                "--gpus-per-worker", "1", "--dry-run", "--db", db);
        assertEquals(0, submit.exit(), submit::toString);
        assertTrue(submit.out().contains(" worker --device cuda:0"), submit.out());
        RevBenchCliTest.Run cpuSubmit = RevBenchCliTest.run("submit", "--scheduler", "slurm", "--workers", "1",
                "--db", db);
        assertEquals(2, cpuSubmit.exit(), cpuSubmit::toString);
        assertTrue(cpuSubmit.err().contains("nothing is planned for this checkout's code") && cpuSubmit.err()
                .contains("on cuda:0: submit them with --device cuda:0 or --gpus-per-worker"), cpuSubmit.err());
        if (!org.revbench.core.engine.Engines.start().hasCapability(ai.djl.engine.StandardCapabilities.CUDA)) {
            RevBenchCliTest.Run worker = RevBenchCliTest.run("worker", "--device", "cuda", "--exit-when-idle", "--db", db);
            assertEquals(2, worker.exit(), worker::toString);
            assertEquals(1, worker.err().strip().lines().count(), worker.err());
            assertTrue(worker.err().contains("has no CUDA"), worker.err());
        }
    }

    @Test
    void submitRefusesAnotherSchedulerAndABadTimeBeforeAnythingElse() {
        RevBenchCliTest.Run r = RevBenchCliTest.run("submit", "--scheduler", "pbs", "--workers", "2", "--json");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("only slurm"), r.err());
    }
}
