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
    }

    @Test
    void invertOnAModelWithoutReversibleStagesIsAUsageError() {
        RevBenchCliTest.Run r = RevBenchCliTest.run("invert", "ms-resnet20-dvs", "--timesteps", "1", "--batch", "1");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("no reversible stages"), r.toString());
    }
}
