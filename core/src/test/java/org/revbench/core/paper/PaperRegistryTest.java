package org.revbench.core.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A paper's descriptor names its resources by convention; the registry lists papers by id and rejects twins. */
class PaperRegistryTest {

    private static Paper paper(String id, String... tables) {
        return new Paper(id, "Name " + id, "Title " + id, List.of(tables));
    }

    @Test
    void aPaperNamesItsSpecsAndReferenceFileByItsId() {
        Paper p = paper("demo", "table2", "figure1");
        assertEquals(List.of("specs/demo/table2.yaml", "specs/demo/figure1.yaml"), p.specResources());
        assertEquals("references/demo.yaml", p.referenceResource());
    }

    @Test
    void theRegistryListsPapersByIdAndRejectsAnIdRegisteredTwice() {
        PaperRegistry r = PaperRegistry.of(List.of(paper("zeta", "t"), paper("alpha", "t")));
        assertEquals(List.of("alpha", "zeta"), r.ids());
        assertEquals("Name zeta", r.get("zeta").name());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> r.get("beta"));
        assertTrue(unknown.getMessage().contains("known papers: alpha, zeta"), unknown.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> PaperRegistry.of(List.of(paper("alpha", "t"), paper("alpha", "u"))));
        assertTrue(twice.getMessage().contains("'alpha' registered twice"), twice.getMessage());
    }

    @Test
    void aDescriptorNeedsALowerCaseIdAndAtLeastOneSpec() {
        assertThrows(IllegalArgumentException.class, () -> paper("Para Rev", "t"));
        assertThrows(IllegalArgumentException.class, () -> paper("demo"));
    }

    @Test
    void coreRegistersNoPaper() {
        // core knows no paper: the papers come from the models modules, which core's class path does not hold
        assertEquals(List.of(), PaperRegistry.load().ids());
    }
}
