package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line, run in-process as {@code ./revbench} would run it. */
class RevBenchCliTest {

    static final List<String> MODELS = List.of("ms-resnet18", "ms-resnet34", "ms-resnet20-dvs");

    /** What one run printed, and its exit status. */
    record Run(int exit, String out, String err) {
        /** The last line of stdout, parsed as a JSON object. */
        JsonObject json() {
            String[] lines = out.strip().split("\\R");
            return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RevBench());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void modelsListsEveryRegisteredModelOnePerLine() {
        Run r = run("models");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        for (String id : MODELS) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(id + " ") && l.contains("paper")),
                    id + " missing:\n" + r);
        }
    }

    @Test
    void modelsJsonHasModelsAndProvenance() {
        Run r = run("models", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonObject j = r.json();
        // every registered model (the baselines and the models modules on the class path), one entry each
        assertEquals(org.revbench.core.model.ModelRegistry.load().ids().size(), j.getAsJsonArray("models").size(), r::toString);
        for (String id : List.of("ms-resnet18", "revsresnet21", "pararevsnn37")) {
            assertTrue(r.out().contains(id), id + " missing: " + r);
        }
        JsonObject p = j.getAsJsonObject("provenance");
        for (String key : List.of("git_commit", "git_dirty", "jdk", "djl_version", "libtorch_version", "os",
                "cpu_model", "threads", "seed")) {
            assertTrue(p.has(key), "provenance lacks " + key + ": " + p);
        }
        assertEquals("2.7.1", p.get("libtorch_version").getAsString());
        assertTrue(p.get("threads").getAsInt() >= 1);
    }

    @Test
    void paramsJsonGivesTheExactParameterCountAndMacs() {
        Run r = run("params", "ms-resnet18", "--classes", "10", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonObject j = r.json();
        assertEquals("ms-resnet18", j.get("model").getAsString());
        assertEquals(10, j.get("classes").getAsInt());
        assertEquals(11173962L, j.get("params").getAsLong());
        assertEquals(21, j.getAsJsonArray("layers").size()); // 20 convolutions and the classifier
        long perImage = j.get("macs_per_image").getAsLong();
        long sum = 0;
        for (var e : j.getAsJsonArray("layers")) {
            JsonObject l = e.getAsJsonObject();
            assertEquals(l.get("macs_per_step").getAsLong() * l.get("steps").getAsLong(), l.get("macs_per_image").getAsLong());
            sum += l.get("macs_per_image").getAsLong();
        }
        assertEquals(sum, perImage);
        assertEquals(2023, j.getAsJsonObject("provenance").get("seed").getAsLong());
        assertTrue(r.out().contains("11,173,962"), "the human table shows the count:\n" + r.out());
    }

    /**
     * This machine's libtorch is the CPU build: a GPU asked for, by the option or by REVBENCH_DEVICE's absence of one
     * here, is refused before anything runs, in one line that names the libtorch loaded and the two ways of giving
     * DJL a CUDA one; the CPU computes and its provenance says so.
     */
    @Test
    void aGpuOnTheCpuBuildOfLibtorchExitsTwoWithTheWaysToGetOne() {
        org.junit.jupiter.api.Assumptions.assumeFalse(org.revbench.core.engine.Engines.start()
                .hasCapability(ai.djl.engine.StandardCapabilities.CUDA), "a CUDA build: there the GPU is there");
        for (String[] args : List.of(new String[] {"params", "ms-resnet18", "--device", "cuda", "--json"},
                new String[] {"memory", "ms-resnet18", "--batch", "2", "--timesteps", "2", "--device", "cuda:1", "--json"},
                new String[] {"run", "--table", "pararevsnn:table2", "--scale", "smoke", "--db", "jdbc:h2:mem:gpu",
                        "--device", "cuda", "--json"},
                // the papers' scale names cuda in the specs: without --device it asks for the GPU too
                new String[] {"run", "--table", "pararevsnn:table2", "--scale", "paper", "--db", "jdbc:h2:mem:gpu2",
                        "--json"})) {
            Run r = run(args);
            assertEquals(2, r.exit(), () -> Arrays.toString(args) + "\n" + r);
            List<String> lines = r.err().strip().lines().toList();
            assertEquals(1, lines.size(), r::toString);
            assertTrue(lines.get(0).contains("has no CUDA") && lines.get(0).contains("libtorch 2.7.1 from")
                    && lines.get(0).contains("PYTORCH_LIBRARY_PATH") && lines.get(0).contains("DJL_OFFLINE=false")
                    && lines.get(0).contains("-Pcuda"), r::toString);
            assertEquals(2, r.json().get("exit_code").getAsInt(), r::toString);
        }
        Run bad = run("params", "ms-resnet18", "--device", "gpu");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("--device: unknown device 'gpu' (known: cpu, cuda, cuda:N)"), bad::toString);

        Run cpu = run("params", "ms-resnet18", "--classes", "10", "--device", "cpu", "--json");
        assertEquals(0, cpu.exit(), cpu::toString);
        assertEquals("cpu", cpu.json().getAsJsonObject("provenance").get("device").getAsString());
        assertEquals(11173962L, cpu.json().get("params").getAsLong());
    }

    @Test
    void aRowSelectionThatMatchesNothingIsAnErrorListingTheRows() {
        Run r = run("run", "--table", "pararevsnn:table2", "--row", "no-such-row", "--scale", "smoke", "--db",
                "jdbc:h2:mem:rows", "--json");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("no row no-such-row in pararevsnn:table2; its rows: "), r::toString);
        assertTrue(r.err().contains("cifar10-revsresnet21"), "the table's rows are listed:\n" + r);
        assertTrue(r.json().get("error").getAsString().contains("no-such-row"), r::toString);
        assertEquals(2, r.json().get("exit_code").getAsInt());
        assertTrue(r.json().getAsJsonArray("rows").size() > 5, r::toString);
        assertFalse(r.out().contains("measurements planned"), "nothing was planned or run:\n" + r);
    }

    @Test
    void aStoreThatCannotBeUsedIsOneLineAndAJsonObject() {
        // a malformed URL is bad input (2); a server that is not there is a failure (1); neither is a stack trace
        String[][] cases = {{"not-a-url", "2", "is not a JDBC URL"}, {"jdbc:nosuchdb:x", "2", "no JDBC driver"},
            {"jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "1", "check that the server is running"}};
        for (String[] c : cases) {
            for (String[] args : new String[][] {{"results", "list", "--db", c[0], "--json"},
                    {"run", "--table", "pararevsnn:table5", "--scale", "smoke", "--db", c[0], "--json"}}) {
                Run r = run(args);
                assertEquals(Integer.parseInt(c[1]), r.exit(), () -> Arrays.toString(args) + "\n" + r);
                assertEquals(1, r.err().strip().lines().count(), "one line:\n" + r);
                assertTrue(r.err().contains(c[2]), r::toString);
                assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), "no stack trace:\n" + r);
                assertTrue(r.json().get("error").getAsString().contains(c[2]), r::toString);
            }
        }
    }

    @Test
    void libtorchRunningOutOfMemoryIsOneLineSayingWhatToDo() {
        // libtorch's message, as its allocator writes it: several lines, the first one says what failed
        ai.djl.engine.EngineException e = new ai.djl.engine.EngineException("[enforce fail at alloc_cpu.cpp:117] data."
                + " DefaultCPUAllocator: not enough memory: you tried to allocate 51539607552 bytes.\nException raised"
                + " from alloc_cpu at ../c10/core/impl/alloc_cpu.cpp:117\nframe #0: c10::ThrowEnforceNotMet");
        String line = BaseCommand.engineFailure(e);
        assertTrue(BaseCommand.isOutOfMemory(e));
        assertFalse(line.contains("\n") || line.contains("frame #0"), line);
        assertTrue(line.startsWith("out of memory: libtorch could not allocate a tensor") && line.contains("51539607552")
                && line.endsWith("use a smaller --batch or fewer --timesteps"), line);
        assertEquals("libtorch failed: shape mismatch", BaseCommand.engineFailure(
                new ai.djl.engine.EngineException("shape mismatch\nframe #0: x")));
    }

    @Test
    void unknownModelExitsTwoAndListsTheKnownIds() {
        for (String[] args : new String[][] {{"params", "resnet-nope"}, {"train", "resnet-nope", "--data", "synthetic"},
                {"memory", "resnet-nope", "--batch", "1", "--timesteps", "1"}}) {
            Run r = run(args);
            assertEquals(2, r.exit(), () -> Arrays.toString(args) + "\n" + r);
            assertTrue(r.err().contains("unknown model 'resnet-nope'"), r::toString);
            for (String id : MODELS) {
                assertTrue(r.err().contains(id), "known id " + id + " not listed:\n" + r);
            }
            assertFalse(r.err().contains("\tat "), "no stack trace for a user error:\n" + r);
        }
    }

    @Test
    void badOptionsExitTwoWithUsage() {
        for (String[] args : new String[][] {{"params", "ms-resnet18", "--bogus"}, {"params"},
                {"train", "ms-resnet20-dvs", "--data", "synthetic", "--steps", "many"},
                {"train", "ms-resnet20-dvs", "--data", "synthetic", "--optimizer", "rmsprop"},
                {"train", "ms-resnet20-dvs", "--data", "synthetic", "--batch", "0"},
                {"memory", "ms-resnet20-dvs", "--batch", "1"}, {"models", "--threads", "0"}, {"nope"}, {}}) {
            Run r = run(args);
            assertEquals(2, r.exit(), () -> Arrays.toString(args) + "\n" + r);
            assertTrue(r.err().contains("Usage:"), () -> Arrays.toString(args) + "\n" + r);
        }
    }

    @Test
    void unknownDataSourceSaysWhichExist() {
        Run r = run("train", "ms-resnet20-dvs", "--data", "imagenet-21k");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("unknown data source 'imagenet-21k'") && r.err().contains("synthetic")
                && r.err().contains("cifar10-dvs"), r::toString);
    }

    @Test
    void trainOnSyntheticDataReportsLossAccuracyAndProgress() {
        Run r = run("train", "ms-resnet20-dvs", "--data", "synthetic", "--steps", "3", "--batch", "2",
                "--timesteps", "2", "--seed", "7", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonObject j = r.json();
        assertEquals(3, j.get("steps").getAsInt());
        double loss = j.get("final_loss").getAsDouble();
        assertTrue(Double.isFinite(loss) && loss > 0, r::toString);
        assertTrue(Double.isFinite(j.get("loss").getAsDouble()));
        double acc = j.get("accuracy").getAsDouble();
        assertTrue(acc >= 0 && acc <= 1, r::toString);
        assertEquals(3, j.getAsJsonArray("losses").size());
        assertTrue(j.get("seconds_per_step").getAsDouble() > 0);
        assertEquals(7, j.getAsJsonObject("provenance").get("seed").getAsLong());
        // one progress line per step on stderr, plain ASCII (not a console here)
        List<String> progress = r.err().lines().filter(l -> l.startsWith("step ")).toList();
        assertEquals(3, progress.size(), r::toString);
        assertTrue(progress.get(2).startsWith("step 3/3") && progress.get(2).contains("loss")
                && progress.get(2).contains("acc") && progress.get(2).contains("eta"), r::toString);
        assertTrue(r.err().chars().allMatch(c -> c < 128), "ASCII only:\n" + r.err());
        assertTrue(r.out().contains("final loss") && r.out().contains("s per step"), r::toString);
    }

    @Test
    void aDivergingRunStopsWithAClearErrorNamingTheStep() {
        // verified: at lr 1e30 the weights explode and the loss is NaN by step 3 (with sgd and with adamw)
        Run r = run("train", "ms-resnet20-dvs", "--data", "synthetic", "--steps", "8", "--batch", "2",
                "--timesteps", "1", "--lr", "1e30", "--json");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().matches("(?s).*error: loss is (NaN|-?Infinity) at step \\d+ of ms-resnet20-dvs.*"), r::toString);
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r);
        JsonObject j = r.json();
        assertEquals(1, j.get("exit_code").getAsInt());
        assertTrue(j.get("error").getAsString().contains("step " + j.get("step").getAsInt()), j::toString);
        assertTrue(j.get("step").getAsInt() > 1 && j.get("step").getAsInt() <= 8, j::toString);
        assertTrue(j.has("provenance"));
    }

    @Test
    void memoryMeasuresAPeakInAForkedJvm() {
        Run r = run("memory", "ms-resnet20-dvs", "--batch", "1", "--timesteps", "1", "--classes", "10", "--json");
        JsonObject j = r.json();
        if (r.exit() == 1 && j.has("available") && !j.get("available").getAsBoolean()) {
            assertTrue(r.err().contains("cannot be measured"), r::toString);
            Assumptions.abort("peak-memory probe not available here: " + j.get("reason").getAsString());
        }
        assertEquals(0, r.exit(), r::toString);
        assertTrue(j.get("available").getAsBoolean());
        long peak = j.get("peak_bytes").getAsLong();
        assertTrue(peak > 0, r::toString);
        assertEquals(1, j.get("batch").getAsInt());
        assertEquals(1, j.get("timesteps").getAsInt());
        assertEquals(10, j.get("classes").getAsInt());
        assertEquals(peak / 1048576.0, j.get("mib_per_image").getAsDouble(), 1e-9);
        assertTrue(r.out().contains("MiB per image"), r::toString);
    }
}
