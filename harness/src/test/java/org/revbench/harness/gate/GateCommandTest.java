package org.revbench.harness.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.revbench.harness.gate.Measurements.ERROR;
import static org.revbench.harness.gate.Measurements.MIB;
import static org.revbench.harness.gate.Measurements.PARAMS;
import static org.revbench.harness.gate.Measurements.SEEDS;
import static org.revbench.harness.gate.Measurements.STEP_MS;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.cli.GateCommand;
import org.revbench.harness.result.Measurement;
import picocli.CommandLine;

/** {@code revbench gate}, run in-process: exit 0 passed, 1 regressed, 2 bad input naming the file. */
class GateCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        JsonObject json() {
            String[] lines = out.strip().split("\\R");
            return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Run gate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new GateCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path write(String name, List<Measurement> measurements) throws Exception {
        Path file = dir.resolve(name);
        MeasurementFile.write(file, measurements);
        return file;
    }

    private Run gate(List<Measurement> current, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--current", write("current.json", current).toString(),
                "--baseline", write("baseline.json", Measurements.baseline()).toString()));
        args.addAll(List.of(more));
        return gate(args.toArray(String[]::new));
    }

    @Test
    void anUnchangedRunExitsZero() throws Exception {
        Run r = gate(Measurements.baseline());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("0 regressions in 6 comparisons"), r::toString);
        // one timing in the file is no history: judged against the baseline's value instead, so it could fail
        assertTrue(r.out().contains("vs baseline, 150% allowed"), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void aRegressionExitsOneAndSaysSoOnStderr() throws Exception {
        Run r = gate(Measurements.run(PARAMS + 1, MIB, SEEDS, STEP_MS, ERROR));
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("REGRESSED"), r::toString);
        assertTrue(r.err().contains("gate: failed: 1 regression in 6 comparisons"), r::toString);
    }

    @Test
    void jsonIsTheLastLineWithTheReportAndProvenance() throws Exception {
        Run r = gate(Measurements.run(PARAMS, MIB * 1.05, SEEDS, STEP_MS, ERROR), "--json");
        assertEquals(1, r.exit(), r::toString);
        JsonObject j = r.json();
        assertEquals("gate", j.get("command").getAsString());
        assertTrue(j.get("failed").getAsBoolean());
        assertEquals(1, j.get("regressions").getAsInt());
        assertEquals(6, j.getAsJsonArray("results").size());
        assertTrue(j.has("provenance"), r::toString);
    }

    @Test
    void aMissingKeyFailsUnlessAllowed() throws Exception {
        List<Measurement> current = new ArrayList<>(Measurements.baseline());
        current.removeIf(m -> m.metric().equals("flops"));
        Run r = gate(current);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("missing"), r::toString);
        Run allowed = gate(current, "--allow-missing");
        assertEquals(0, allowed.exit(), allowed::toString);
        assertTrue(allowed.out().contains("1 missing (allowed)"), allowed::toString);
    }

    @Test
    void aNewKeyMetricFailsWithFailOnNewAsInCi() throws Exception {
        List<Measurement> current = new ArrayList<>(Measurements.baseline());
        current.add(Measurements.of("static", "macs", 42, "MAC/img", null));
        Run ci = gate(current, "--fail-on-new");
        assertEquals(1, ci.exit(), ci::toString);
        assertTrue(ci.err().contains("1 new key metrics without a baseline"), ci::toString);
        Run local = gate(current, "--no-fail-on-new");
        assertEquals(0, local.exit(), local::toString);
    }

    @Test
    void aHistoryFileJudgesTimingsByTheirZScore() throws Exception {
        Path history = write("history.json", Measurements.stepHistory(20));
        Run slow = gate(Measurements.run(PARAMS, MIB, SEEDS, STEP_MS + 20, ERROR), "--history", history.toString());
        assertEquals(1, slow.exit(), slow::toString);
        assertTrue(slow.out().contains("z=+10.0"), slow::toString);
        Run noisy = gate(Measurements.run(PARAMS, MIB, SEEDS, STEP_MS + 3, ERROR), "--history", history.toString());
        assertEquals(0, noisy.exit(), noisy::toString);
    }

    @Test
    void anUnreadableFileExitsTwoNamingIt() throws Exception {
        Path baseline = write("baseline.json", Measurements.baseline());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "[{\"table\": \"t\"}]");
        Run r = gate("--current", broken.toString(), "--baseline", baseline.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--current: " + broken + ": record 0: no 'row'"), r::toString);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);

        Path absent = dir.resolve("absent.json");
        r = gate("--current", baseline.toString(), "--baseline", absent.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--baseline: " + absent + ": cannot read: no such file"), r::toString);
    }

    @Test
    void aBadRulesFileExitsTwoNamingTheFileAndTheEntry() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "default: {rule: exact}\nmetrics:\n  top1: {rule: seeds, direction: upward}\n");
        Run r = gate(Measurements.baseline(), "--rules", rules.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains(rules + ": entry 'top1'"), r::toString);
    }

    @Test
    void aMissingOptionIsAUsageError() {
        Run r = gate("--current", "x.json");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--baseline"), r::toString);
    }
}
