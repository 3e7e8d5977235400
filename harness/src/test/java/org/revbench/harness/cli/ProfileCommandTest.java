package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.cli.RevBenchCliTest.Run;

/** {@code revbench profile}: one real profile of a small model, and bad input. */
class ProfileCommandTest {

    @Test
    void profilesOneTrainingStepOfASmallModel(@TempDir Path tmp) {
        Path trace = tmp.resolve("trace.json");
        Run r = RevBenchCliTest.run("profile", "ms-resnet20-dvs", "--phase", "training", "--batch", "1", "--timesteps",
                "1", "--classes", "10", "--input-size", "32", "--iterations", "1", "--warmup", "0", "--top", "5", "--trace",
                trace.toString(), "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonObject j = r.json();
        for (String key : List.of("model", "phase", "batch", "timesteps", "classes", "input", "threads", "allocator", "warmup",
                "iterations", "wall_ms_median", "wall_ms_min", "wall_ms", "profiled_wall_ms_median",
                "calls_per_iteration", "events_per_iteration", "ops_ms_per_iteration", "kinds", "ops", "trace",
                "provenance")) {
            assertTrue(j.has(key), "no " + key + ": " + j);
        }
        assertEquals("ms-resnet20-dvs", j.get("model").getAsString());
        assertEquals("training", j.get("phase").getAsString());
        assertEquals(1, j.get("timesteps").getAsInt());
        assertEquals("events 2x32x32", j.get("input").getAsString()); // --input-size: 128x128 is the model's own
        assertEquals(1, j.getAsJsonArray("wall_ms").size());
        assertTrue(j.get("calls_per_iteration").getAsDouble() > 0, j::toString);
        assertTrue(j.get("events_per_iteration").getAsDouble() >= j.get("calls_per_iteration").getAsDouble());
        assertTrue(j.get("ops_ms_per_iteration").getAsDouble() > 0, j::toString);
        assertEquals(6, j.getAsJsonArray("kinds").size());
        double calls = 0;
        for (JsonElement k : j.getAsJsonArray("kinds")) {
            calls += k.getAsJsonObject().get("calls_per_iteration").getAsDouble();
        }
        assertEquals(j.get("calls_per_iteration").getAsDouble(), calls, 1e-9);
        // a training step of a conv net: convolutions, forward and backward
        JsonObject conv = j.getAsJsonArray("kinds").get(0).getAsJsonObject();
        assertEquals("convolution", conv.get("kind").getAsString());
        assertTrue(conv.get("calls_per_iteration").getAsDouble() > 0, j::toString);
        assertEquals(5, j.getAsJsonArray("ops").size());
        for (String key : List.of("name", "calls_per_iteration", "self_ms_per_iteration", "share", "shape")) {
            assertTrue(j.getAsJsonArray("ops").get(0).getAsJsonObject().has(key), key);
        }
        assertTrue(Files.isRegularFile(trace), "the trace is kept");
        assertTrue(r.out().contains("top-level calls by kind") && r.out().contains("self ms/iter"), r::toString);
    }

    @Test
    void badInputIsOneClearLine() {
        for (String[] args : new String[][] {{"profile", "resnet-nope"}, {"profile", "ms-resnet20-dvs", "--iterations", "0"},
                {"profile", "ms-resnet20-dvs", "--phase", "eval"}, {"profile", "ms-resnet20-dvs", "--input-size", "4"}}) {
            Run r = RevBenchCliTest.run(args);
            assertEquals(2, r.exit(), () -> Arrays.toString(args) + "\n" + r);
            assertTrue(r.err().lines().findFirst().orElse("").contains(args.length == 2 ? "unknown model 'resnet-nope'"
                    : args[2] + " must be"), () -> Arrays.toString(args) + "\n" + r);
            assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r);
        }
    }

    /** An invalid option value with --json: the one line, and the JSON object last on stdout, as every other error. */
    @Test
    void anInvalidOptionValueWithJsonEndsInTheErrorObject() {
        Run r = RevBenchCliTest.run("profile", "ms-resnet20-dvs", "--split", "--json");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().lines().findFirst().orElse("").contains("--split splits a training step: it needs --phase training"),
                r::toString);
        JsonObject j = r.json();
        assertEquals("--split splits a training step: it needs --phase training", j.get("error").getAsString());
        assertEquals(2, j.get("exit_code").getAsInt());
    }
}
