package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** {@code invert} and {@code gradcheck} on a registered reversible model, found through the registry. */
class ReversibleCommandsTest {

    @Test
    void invertReportsEveryStageAndStaysBelow1e10InFloat64() {
        RevBenchCliTest.Run r = RevBenchCliTest.run("invert", "pararevsnn24-dvs", "--timesteps", "1", "--batch", "1", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonObject j = r.json();
        assertEquals(3, j.getAsJsonArray("stages").size());
        assertTrue(j.get("max_abs_error").getAsDouble() <= 1e-10, r.toString());
    }

    @Test
    void gradcheckAgreesWithPlainAutogradTo1e9() {
        RevBenchCliTest.Run r = RevBenchCliTest.run("gradcheck", "revsresnet24-dvs", "--timesteps", "2", "--batch", "2", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonObject j = r.json();
        assertTrue(j.get("max_rel_difference").getAsDouble() <= 1e-9, r.toString());
        assertEquals(j.get("parameters").getAsInt() + 1, j.get("reached").getAsInt(),
                "the input and every parameter receive a gradient (at T 1 some layers stay silent)");
        assertTrue(j.get("input_rel_difference").getAsDouble() <= 1e-9, r.toString());
        // the setting, as every check reports it (ModelCheckCommand)
        assertTrue(r.out().startsWith("revsresnet24-dvs, float64, batch 2, T 2: the input and "), r.toString());
        assertSetting(j, "revsresnet24-dvs", "float64", 2, 2);
    }

    @Test
    void invertReportsTheSettingItRanIn() {
        RevBenchCliTest.Run r = RevBenchCliTest.run("invert", "pararevsnn24-dvs", "--timesteps", "1", "--batch", "1",
                "--dtype", "float32", "--seed", "5", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("pararevsnn24-dvs, float32, batch 1, T 1\n"), r.toString());
        assertSetting(r.json(), "pararevsnn24-dvs", "float32", 1, 1);
        assertEquals(5, r.json().getAsJsonObject("provenance").get("seed").getAsLong());
    }

    /** The fields every check's JSON object begins with, in this order. */
    private static void assertSetting(JsonObject j, String model, String dtype, int batch, int timesteps) {
        assertEquals(java.util.List.of("model", "dtype", "batch", "timesteps"),
                j.keySet().stream().limit(4).toList(), j.toString());
        assertEquals(model, j.get("model").getAsString());
        assertEquals(dtype, j.get("dtype").getAsString());
        assertEquals(batch, j.get("batch").getAsInt());
        assertEquals(timesteps, j.get("timesteps").getAsInt());
    }

    @Test
    void invertOnAModelWithoutReversibleStagesIsAUsageError() {
        RevBenchCliTest.Run r = RevBenchCliTest.run("invert", "ms-resnet20-dvs", "--timesteps", "1", "--batch", "1");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("no reversible stages"), r.toString());
    }
}
