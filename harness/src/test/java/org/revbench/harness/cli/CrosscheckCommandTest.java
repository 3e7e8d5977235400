package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.revbench.harness.bench.PyTorchTwin;
import org.revbench.harness.cli.RevBenchCliTest.Run;

/** {@code revbench crosscheck pytorch}: bad input, and one tiny real run beside the PyTorch twin. */
class CrosscheckCommandTest {

    @Test
    void aModelWithoutTwinOrBadInputIsOneClearLine() {
        for (String[] args : new String[][] {{"crosscheck", "pytorch", "--model", "ms-resnet34"},
                {"crosscheck", "pytorch", "--model", "resnet-nope"}, {"crosscheck", "pytorch", "--steps", "0"}}) {
            Run r = RevBenchCliTest.run(args);
            assertEquals(2, r.exit(), () -> Arrays.toString(args) + "\n" + r);
            String first = r.err().lines().findFirst().orElse("");
            String expected = args[3].equals("ms-resnet34") ? "'ms-resnet34' has no PyTorch twin: the twin knows only ms-resnet18 for now"
                    : args[3].equals("resnet-nope") ? "unknown model 'resnet-nope': the twin knows only ms-resnet18 for now"
                    : "--steps must be at least 1";
            assertTrue(first.contains(expected), () -> Arrays.toString(args) + "\n" + r);
            assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r);
        }
    }

    @Test
    void measuresBothSidesAtOneTinyStepInTwoRounds() {
        PyTorchTwin.Located twin = PyTorchTwin.locate();
        if (!twin.available()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the PyTorch twin cannot run: " + twin.reason() + " (.ci/run installs Debian's python3-torch)");
            }
            Assumptions.abort("the PyTorch twin cannot run: " + twin.reason() + "; CI runs this test");
        }
        Run r = RevBenchCliTest.run("crosscheck", "pytorch", "--batch", "1", "--timesteps", "1", "--steps", "1",
                "--rounds", "2", "--warmup", "0", "--threads", "2", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonObject j = r.json();
        for (String key : List.of("model", "classes", "batch", "timesteps", "threads", "ours", "theirs", "time_ratio",
                "memory_ratio", "provenance")) {
            assertTrue(j.has(key), "no " + key + ": " + j);
        }
        JsonObject ours = j.getAsJsonObject("ours");
        JsonObject theirs = j.getAsJsonObject("theirs");
        assertEquals(11_173_962L, ours.get("params").getAsLong());
        assertEquals(11_173_962L, theirs.get("params").getAsLong());
        // one step a side in each of two rounds, ours then theirs; a ratio per round
        assertEquals(2, ours.getAsJsonArray("step_ms").size());
        assertEquals(2, theirs.getAsJsonArray("step_ms").size());
        assertEquals(2, j.getAsJsonArray("round_time_ratios").size());
        for (int i = 0; i < 2; i++) {
            assertEquals(ours.getAsJsonArray("step_ms").get(i).getAsDouble() / theirs.getAsJsonArray("step_ms").get(i).getAsDouble(),
                    j.getAsJsonArray("round_time_ratios").get(i).getAsDouble(), 1e-12);
        }
        assertEquals(ours.get("step_ms_median").getAsDouble() / theirs.get("step_ms_median").getAsDouble(),
                j.get("time_ratio").getAsDouble(), 1e-12);
        assertEquals(2, theirs.get("threads").getAsInt());
        assertEquals(ours.get("allocator").getAsString(), theirs.get("allocator").getAsString(), "the same allocator");
        if (!ours.get("memory").isJsonNull()) { // the counter is built wherever gcc was (then both sides count)
            double mine = ours.getAsJsonObject("memory").get("mib_per_image").getAsDouble();
            double twins = theirs.getAsJsonObject("memory").get("mib_per_image").getAsDouble();
            assertTrue(mine > 0 && twins > 0, j::toString);
            assertEquals(mine / twins, j.get("memory_ratio").getAsDouble(), 1e-12);
        }
        assertTrue(r.out().contains("training step, median") && r.out().contains("peak memory per image"), r::toString);
    }
}
