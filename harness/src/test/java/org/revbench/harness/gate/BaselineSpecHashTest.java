package org.revbench.harness.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.revbench.core.model.ModelRegistry;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecCatalog;
import org.revbench.harness.spec.SpecRow;

/**
 * The committed baseline was measured under today's specs: every measurement's spec hash is the hash of its row's
 * settings at its scale now. A change to a spec row that the baseline holds (a seed added, a learning rate changed)
 * must refresh that row's baseline in the same change; CI runs only the smoke grid, so without this test a stale
 * baseline would show up only as "spec changed" when someone next runs the cpu grid.
 */
class BaselineSpecHashTest {

    @Test
    void everyBaselineMeasurementWasMadeUnderItsRowsCurrentSettings() {
        List<Measurement> baseline = MeasurementFile.read(BaselineCoverageTest.BASELINE);
        ModelRegistry models = ModelRegistry.load();
        SpecCatalog catalog = SpecCatalog.load(id -> models.ids().contains(id));
        TreeSet<String> stale = new TreeSet<>();
        for (Measurement m : baseline) {
            Optional<SpecRow> row = catalog.specs().stream().filter(s -> s.id().equals(m.table())).findFirst()
                    .flatMap(s -> s.row(m.row()));
            if (row.isEmpty()) {
                stale.add(m.table() + " " + m.row() + ": no such spec row any more");
                continue;
            }
            String now = row.get().at(Scale.parse(m.scale())).hash(row.get().model());
            if (!now.equals(m.specHash())) {
                stale.add(m.table() + " " + m.row() + " at " + m.scale() + ": measured under " + m.specHash()
                        + ", the row hashes to " + now + " now");
            }
        }
        assertEquals("", String.join("\n", stale), stale.size() + " baseline rows were measured under other settings;"
                + " run them again and replace their measurements in baselines/cpu.json");
    }

}
