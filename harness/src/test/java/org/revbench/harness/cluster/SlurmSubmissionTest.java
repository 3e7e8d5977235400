package org.revbench.harness.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sbatch script: one worker per array task, the store and work directory through the environment, no password. */
class SlurmSubmissionTest {

    static Map<String, String> env(String url) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("REVBENCH_DB_URL", url);
        e.put("REVBENCH_DB_USER", "revbench");
        e.put("REVBENCH_WORK_DIR", "/shared/runs");
        return e;
    }

    @Test
    void theScriptRunsOneWorkerPerArrayTaskWithItsOwnLog() {
        SlurmSubmission s = new SlurmSubmission(4, 2, 8, "gpu", "48:00:00", Path.of("/shared/runs/slurm"),
                env("jdbc:postgresql://db:5432/revbench"), List.of("/opt/revbench/revbench", "worker", "--threads", "8"));
        String script = s.script();
        assertTrue(script.startsWith("#!/bin/bash\n"));
        for (String line : List.of("#SBATCH --array=0-3", "#SBATCH --gres=gpu:2", "#SBATCH --cpus-per-task=8",
                "#SBATCH --partition=gpu", "#SBATCH --time=48:00:00",
                "#SBATCH --output=/shared/runs/slurm/revbench-worker-%A_%a.log", "#SBATCH --export=ALL",
                "export REVBENCH_DB_URL=jdbc:postgresql://db:5432/revbench", "export REVBENCH_DB_USER=revbench",
                "export REVBENCH_WORK_DIR=/shared/runs", "exec /opt/revbench/revbench worker --threads 8")) {
            assertTrue(script.lines().anyMatch(line::equals), line + " missing from\n" + script);
        }
        assertFalse(script.toLowerCase().contains("password"), script);
    }

    @Test
    void noGpusNoPartitionAndNoTimeLeaveThemToTheCluster() {
        String script = new SlurmSubmission(1, null, null, null, null, Path.of("/l"), env("jdbc:postgresql://db/r"),
                List.of("java", "-cp", "a b.jar", "Main")).script();
        assertTrue(script.contains("#SBATCH --array=0-0\n"));
        assertFalse(script.contains("--gres") || script.contains("--partition") || script.contains("--time="), script);
        assertTrue(script.contains("exec java -cp 'a b.jar' Main\n"), "quoted for bash: " + script);
    }

    @Test
    void aPasswordInTheUrlAndBadValuesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SlurmSubmission(2, null,
                null, null, null, Path.of("/l"), env("jdbc:postgresql://db/r?user=u&password=secret"), List.of("w")));
        assertTrue(e.getMessage().contains("REVBENCH_DB_PASSWORD"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
        assertThrows(IllegalArgumentException.class, () -> new SlurmSubmission(0, null, null, null, null, Path.of("/l"),
                env("jdbc:postgresql://db/r"), List.of("w")));
        assertThrows(IllegalArgumentException.class, () -> new SlurmSubmission(2, null, null, null, "48h", Path.of("/l"),
                env("jdbc:postgresql://db/r"), List.of("w")));
        assertThrows(IllegalArgumentException.class, () -> new SlurmSubmission(2, null, null, "gpu; rm -rf", null,
                Path.of("/l"), env("jdbc:postgresql://db/r"), List.of("w")));
        assertEquals("'it'\\''s'", SlurmSubmission.quoted("it's"));
    }
}
