package org.revbench.harness.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.harness.result.Measurement;

/** Committed measurements files: read back as written; a bad entry is refused naming file and entry. */
class MeasurementFileTest {

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsReadBack() throws Exception {
        Measurement withDetails = new Measurement("t", "r", "m", "cpu", "memory", "mib_per_image", 23.64, "MiB/img",
                null, "h", Map.of("batch", 32.0, "shape", "3x32x32"), null);
        List<Measurement> all = List.of(withDetails, Measurements.top1(7, 76.25), Measurements.invertError(Double.NaN));
        Path file = dir.resolve("baseline.json");
        MeasurementFile.write(file, all);
        assertEquals(all, MeasurementFile.read(file));
    }

    @Test
    void seedDetailsAndProvenanceMayBeLeftOutAndProvenanceIsReadBackWhereItIs() throws Exception {
        Path file = dir.resolve("short.json");
        Files.writeString(file, """
                [{"table": "t", "row": "r", "model": "m", "scale": "smoke", "protocol": "static", "metric": "params",
                  "value": 11689512, "unit": "count", "spec_hash": "h", "provenance": {"git_commit": "abc"}},
                 {"table": "t", "row": "r", "model": "m", "scale": "smoke", "protocol": "static", "metric": "flops",
                  "value": 2, "unit": "count", "spec_hash": "h", "provenance": null}]
                """);
        List<Measurement> ms = MeasurementFile.read(file);
        Measurement m = ms.get(0);
        assertEquals(11689512, m.value());
        assertNull(m.seed());
        assertEquals(Map.of(), m.details());
        assertEquals("abc", m.provenance().gitCommit());
        assertNull(ms.get(1).provenance());
    }

    @Test
    void aBadEntryIsNamedByFileAndIndex() throws Exception {
        assertRefused("[{\"table\": \"t\"}]", "record 0: no 'row'");
        String ok = "{\"table\": \"t\", \"row\": \"r\", \"model\": \"m\", \"scale\": \"cpu\", \"protocol\": \"p\","
                + " \"metric\": \"x\", \"unit\": \"u\", \"spec_hash\": \"h\", ";
        assertRefused("[" + ok + "\"value\": 1}, " + ok + "\"value\": \"fast\"}]", "record 1: 'value' must be a number");
        assertRefused("[" + ok + "\"value\": 1, \"seed\": 1.5}]", "record 0: 'seed' must be a whole number");
        assertRefused("[" + ok + "\"value\": 1, \"details\": [1]}]", "record 0: 'details' must be an object");
        assertRefused("{\"table\": \"t\"}", "expected a JSON array");
        assertRefused("[{", "not valid JSON");
        assertRefused("[" + ok + "\"value\": 1, \"provenance\": \"abc\"}]", "record 0: 'provenance' must be an object");
        assertRefused("[" + ok + "\"value\": 1, \"provenance\": {\"cpus\": \"two\"}}]", "record 0: provenance field cpus");
    }

    @Test
    void anAbsentFileIsNamed() {
        Path missing = dir.resolve("nope.json");
        MeasurementFileException e = assertThrows(MeasurementFileException.class, () -> MeasurementFile.read(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot read"), e.getMessage());
    }

    private void assertRefused(String json, String expected) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, json);
        MeasurementFileException e = assertThrows(MeasurementFileException.class, () -> MeasurementFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
