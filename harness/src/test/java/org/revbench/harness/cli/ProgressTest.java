package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void formatsDurations() {
        assertEquals("4.2s", Progress.duration(4.2));
        assertEquals("3m07s", Progress.duration(187));
        assertEquals("1h02m", Progress.duration(3725));
        assertEquals("?", Progress.duration(Double.NaN));
    }

    @Test
    void oneAsciiLinePerUpdate() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), "step", 4, false);
        p.update(1, "loss 1.0");
        p.update(4, "loss 0.5");
        String[] lines = s.toString().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("step 1/4 [#####---------------] loss 1.0  elapsed "), lines[0]);
        assertTrue(lines[1].startsWith("step 4/4 [####################] loss 0.5") && lines[1].endsWith("eta 0s"), lines[1]);
        assertTrue(s.toString().chars().allMatch(c -> c < 128 && c != '\r'));
    }

    @Test
    void formatsNumbers() {
        assertEquals("0.003", TrainCommand.fmt(0.003));
        assertEquals("0.0001", TrainCommand.fmt(1e-4));
        assertEquals("1.00e+30", TrainCommand.fmt(1e30));
        assertEquals("2.3026", TrainCommand.number(2.302585));
        assertEquals("3.9453e+30", TrainCommand.number(3.9453e30));
    }
}
