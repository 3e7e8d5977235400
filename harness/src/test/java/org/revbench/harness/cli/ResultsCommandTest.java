package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultQuery;
import org.revbench.harness.result.ResultStore;

/** {@code revbench results} on H2 stores in a temporary directory (run as its own root command). */
class ResultsCommandTest {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    static RevBenchCliTest.Run results(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new ResultsCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new RevBenchCliTest.Run(exit, out.toString(), err.toString());
    }

    static Measurement measurement(String row, String scale, double value, boolean dirty) {
        Provenance p = new Provenance(COMMIT, dirty, "17", "vm", "0.35.1", "2.7.1", "Linux", "cpu", 2, 2, null,
                "2025-03-01T12:00:0" + row.length() + "Z");
        return new Measurement("pararevsnn:table2", row, "pararevsnn37", scale, "memory", "mib_per_image", value,
                "MiB/img", null, "h-" + row, Map.of("batch", 32.0), p);
    }

    private String db(String name) {
        return "jdbc:h2:file:" + tmp.resolve(name);
    }

    @Test
    void listShowsTheFilteredMeasurementsAsATable() {
        try (ResultStore store = ResultStore.open(db("a"), null, null)) {
            store.saveAll(List.of(measurement("r1", "cpu", 29.64, false), measurement("row22", "cpu", 11_200_000, true),
                    measurement("r3", "paper", 0.000125, false)));
        }
        RevBenchCliTest.Run r = results("list", "--db", db("a"), "--scale", "cpu", "--commit", "0123456");
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.toString());
        assertTrue(lines.get(0).startsWith("TABLE") && lines.get(0).contains("COMMIT"), r.toString());
        assertTrue(lines.get(1).contains("r1") && lines.get(1).contains("29.64") && lines.get(1).contains("0123456789ab "),
                r.toString());
        assertTrue(lines.get(2).contains("11200000") && lines.get(2).contains("0123456789ab+"), r.toString());

        RevBenchCliTest.Run none = results("list", "--db", db("a"), "--table", "other:t1");
        assertEquals(0, none.exit(), none.toString());
        assertTrue(none.out().startsWith("no measurements match in jdbc:h2:file:"), none.toString());
    }

    @Test
    void listJsonCarriesTheMeasurementsAndProvenance() {
        try (ResultStore store = ResultStore.open(db("a"), null, null)) {
            store.save(measurement("r1", "cpu", 29.64, false));
        }
        RevBenchCliTest.Run r = results("list", "--db", db("a"), "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonObject j = r.json();
        assertEquals(1, j.get("count").getAsInt());
        JsonObject m = j.getAsJsonArray("measurements").get(0).getAsJsonObject();
        assertEquals(29.64, m.get("value").getAsDouble());
        assertEquals("h-r1", m.get("spec_hash").getAsString());
        assertEquals(COMMIT, m.getAsJsonObject("provenance").get("git_commit").getAsString());
        assertTrue(j.has("provenance"), "the command's own provenance");
    }

    @Test
    void exportThenImportMovesMeasurementsOnce() {
        try (ResultStore store = ResultStore.open(db("a"), null, null)) {
            store.saveAll(List.of(measurement("r1", "cpu", 1.5, false), measurement("r2", "paper", 2.5, false)));
        }
        Path file = tmp.resolve("out").resolve("cpu.json");
        RevBenchCliTest.Run exported = results("export", "--db", db("a"), "--out", file.toString(), "--scale", "cpu");
        assertEquals(0, exported.exit(), exported.toString());
        assertTrue(exported.out().contains("exported 1 measurements"), exported.toString());

        RevBenchCliTest.Run imported = results("import", file.toString(), "--db", db("b"));
        assertEquals(0, imported.exit(), imported.toString());
        assertTrue(imported.out().contains("imported 1 new measurements"), imported.toString());
        RevBenchCliTest.Run again = results("import", file.toString(), "--db", db("b"));
        assertTrue(again.out().contains("imported 0 new measurements"), again.toString());
        try (ResultStore b = ResultStore.open(db("b"), null, null)) {
            assertEquals(List.of(measurement("r1", "cpu", 1.5, false)), b.find(ResultQuery.all()));
        }
    }

    @Test
    void badInputAndAnUnreachableStoreAreOneLineErrors() throws Exception {
        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "[{\"table\": \"t\"}]");
        RevBenchCliTest.Run malformed = results("import", broken.toString(), "--db", db("a"));
        assertEquals(2, malformed.exit(), malformed.toString());
        assertTrue(malformed.err().contains(broken + ": record 0"), malformed.toString());

        RevBenchCliTest.Run missing = results("import", tmp.resolve("nope.json").toString(), "--db", db("a"));
        assertEquals(2, missing.exit(), missing.toString());

        RevBenchCliTest.Run unreachable = results("list", "--db", "jdbc:postgresql://127.0.0.1:1/x?password=pw123&connectTimeout=2");
        assertEquals(1, unreachable.exit(), unreachable.toString());
        assertTrue(unreachable.err().contains("jdbc:postgresql://127.0.0.1:1/x"), unreachable.toString());
        assertFalse(unreachable.err().contains("pw123") || unreachable.err().contains("\tat "), unreachable.toString());
    }
}
