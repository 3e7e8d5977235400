package org.revbench.harness.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.revbench.harness.result.Measurement;

class InMemoryHistoryTest {

    @Test
    void givesTheLastLookbackValuesOfTheKeyOldestFirst() {
        History h = new InMemoryHistory(List.of(Measurements.trainStep(1), Measurements.memory(9),
                Measurements.trainStep(2), Measurements.trainStep(3)));
        Measurement.Key key = Measurements.trainStep(0).key();
        assertEquals(List.of(2.0, 3.0), h.of(key, 2).stream().map(Measurement::value).toList());
        assertEquals(List.of(1.0, 2.0, 3.0), h.of(key, 20).stream().map(Measurement::value).toList());
        assertEquals(List.of(), h.of(Measurements.params(0).key(), 20));
    }
}
