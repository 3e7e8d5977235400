package org.revbench.reports.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.revbench.core.paper.Paper;
import org.revbench.core.paper.PaperRegistry;
import org.revbench.reports.Fixtures;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecCatalog;
import org.revbench.harness.spec.SpecRow;

class ReferenceLoaderTest {

    private static final Map<String, ColumnPolicy> COLUMNS = ReferenceLoader.read(ReferenceLoader.COLUMNS);

    private static final String GOOD = Fixtures.REFERENCE_HEAD + """
            values:
              - {table: t1, row: a, column: memory, value: 10.0, unit: MB/img, source: "Table 1"}
              - {table: t1, row: b, column: memory, value: 20.0, unit: MB/img, source: "Table 1"}
            claims:
              - {id: c1, text: "A needs half of B", table: t1, numerator: a, denominator: b, column: memory, target: 0.6}
            """;

    @Test
    void readsValuesClaimsAndTheSharedColumnPolicies() {
        PaperReference r = ReferenceLoader.read(GOOD, "demo.yaml", COLUMNS);
        assertEquals(2, r.values().size());
        assertEquals(10.0, r.value("t1", "a", "memory").orElseThrow().value());
        assertEquals(0.6, r.claims().get(0).target());
        ColumnPolicy params = r.column("params");
        assertEquals(1e-6, params.factor());
        assertTrue(params.reproduced().admits(11.22, 11.220132));
        assertTrue(!params.reproduced().admits(21.16, 21.377508) && params.within().admits(21.16, 21.377508));
    }

    @Test
    void everyProblemNamesTheFileTheEntryAndTheField() {
        assertBad(GOOD.replace("source: \"Table 1\"}\n  - {table: t1, row: b", "source: \"Table 1\", colour: red}\n  - {table: t1, row: b"),
                "demo.yaml, values entry 1", "unknown field 'colour'");
        assertBad(GOOD.replace("value: 10.0, unit: MB/img", "value: 10.0, unit: GB/img"), "values entry 1", "unit 'GB/img'", "'MB/img'");
        assertBad(GOOD.replace("column: memory, value: 10.0", "column: colour, value: 10.0"), "values entry 1", "column 'colour'");
        assertBad(GOOD.replace("value: 10.0", "value: ten"), "values entry 1", "'value' must be a number");
        assertBad(GOOD.replace("row: b, column: memory", "row: a, column: memory"), "values entry 2", "a second value");
        assertBad(GOOD.replace("table: t1, row: a", "table: t9, row: a"), "values entry 1", "table 't9'");
        assertBad(GOOD.replace("denominator: b", "denominator: z"), "claim c1", "no value for t1 z memory");
        assertBad(GOOD.replace("tables: [t1]", "tables: []"), "demo.yaml", "'tables' must be a non-empty list");
        assertBad("paper: [", "demo.yaml", "not valid YAML");
        assertBad(GOOD + "columns:\n  memory: {header: M, unit: MB/img, metric: m, factor: 1, digits: 2, comparable: sometimes, better: lower}\n",
                "column memory", "comparable must be");
        assertBad(GOOD + "columns:\n  memory: {header: M, unit: MB/img, metric: m, factor: 1, digits: 2, comparable: architecture, better: lower}\n",
                "column memory", "needs 'reproduced' and 'within'");
    }

    @Test
    void everyPaperReferenceMatchesTheSpecCatalog() {
        SpecCatalog catalog = SpecCatalog.load(m -> true);
        for (Paper paper : PaperRegistry.load().all()) {
            PaperReference ref = ReferenceLoader.resource(paper);
            for (String t : ref.tables()) {
                catalog.get(ref.specId(t));
            }
            for (ReferenceValue v : ref.values()) {
                ExperimentSpec spec = catalog.get(ref.specId(v.table()));
                SpecRow row = spec.row(v.row()).orElseThrow(() -> new AssertionError(v + ": no such spec row"));
                SpecRow measured = spec.row(v.measuredRow()).orElseThrow(() -> new AssertionError(v + ": no such measured row"));
                ColumnPolicy p = ref.column(v.column());
                if (p.metric().equals(ColumnPolicy.SPEC_TIMESTEPS)) {
                    assertEquals(v.value(), row.at(Scale.PAPER).timesteps(), v + ": the spec's T differs from the paper's");
                } else {
                    // the measured row must measure the column at the paper's protocol
                    assertTrue(measured.at(Scale.PAPER).columns().stream().anyMatch(c -> c.id().equals(p.specColumn())),
                            v + ": row " + measured.id() + " does not measure " + v.column());
                }
            }
            for (FigureSpec f : ref.figures()) {
                catalog.get(ref.specId(f.table()));
            }
            if (ref.audit() != null) {
                catalog.get(ref.specId(ref.audit()));
            }
        }
    }

    @Test
    void theParaRevSnnReferenceHoldsTheHeadlineRatiosOfReferenceFacts() {
        PaperReference r = ReferenceLoader.resource(PaperRegistry.load().get("pararevsnn"));
        Map<String, Double> ratios = Map.of("memory-rev21-ms18", 32.41 / 58.88, "memory-rev37-ms34", 38.13 / 103.59,
                "train-para37-rev37", 5.43 / 6.45, "inference-para37-rev37", 17.50 / 20.00);
        for (Claim c : r.claims()) {
            if (ratios.containsKey(c.id())) {
                double ratio = r.value(c.table(), c.numerator(), c.column()).orElseThrow().value()
                        / r.value(c.table(), c.denominator(), c.column()).orElseThrow().value();
                assertEquals(ratios.get(c.id()), ratio, 1e-12, c.id());
            }
        }
        assertEquals(List.of("table2", "table3", "table5", "figure3"), r.tables());
    }

    /** the reversible node paper's stated numbers: 58.65x for VGG-19 at T 20, 9032 MB, 28993 against 1382 MB; its own memory columns. */
    @Test
    void theRevNodeReferenceHoldsTheStatedNumbers() {
        PaperReference r = ReferenceLoader.resource(PaperRegistry.load().get("revnode"));
        Claim vgg = r.claims().stream().filter(c -> c.id().equals("node-memory-vgg19-t20")).findFirst().orElseThrow();
        assertEquals(1 / 58.65, vgg.paperRatio(), 1e-12);
        assertEquals(1 / 30.0, vgg.target(), 1e-12, "issue 7's target: at least 30x");
        double cells = r.value("figure4", "vgg19-revnode-t20", "node_memory").orElseThrow().value()
                / r.value("figure4", "vgg19-sjlif-t20", "node_memory").orElseThrow().value();
        assertEquals(1 / 58.65, cells, 1e-4, "154.0 MB is 9032 MB / 58.65");
        assertEquals(1382.0 / 28993.0, r.value("figure4", "resnet101-revnode-t10", "node_memory").orElseThrow().value()
                / r.value("figure4", "resnet101-sjlif-t10", "node_memory").orElseThrow().value(), 1e-12);
        assertEquals(91.87, r.value("table1", "cifar10-resnet18-revnode", "accuracy").orElseThrow().value());
        assertEquals("memory", r.column("memory_gib").specColumn());
        assertEquals("memory", r.column("node_memory").specColumn());
        assertEquals("memory", r.column("memory").specColumn());
        assertEquals(List.of("figure1", "table1", "figure4", "figure5", "figure6"), r.tables());
        // Table 1's stated ratios are the quotients of its printed cells, to the text's two decimals
        Map<String, Double> printed = Map.of("table1-memory-cifar10-vs-ide-lif", 2.54, "table1-memory-cifar100-vs-ide-lif", 3.13,
                "table1-memory-tiny-vgg16-revnd-vs-nd99", 1.87, "table1-memory-tiny-resnet19-revnd-vs-nd99", 2.06);
        for (Map.Entry<String, Double> e : printed.entrySet()) {
            Claim c = r.claims().stream().filter(x -> x.id().equals(e.getKey())).findFirst().orElseThrow();
            double times = r.value(c.table(), c.denominator(), c.column()).orElseThrow().value()
                    / r.value(c.table(), c.numerator(), c.column()).orElseThrow().value();
            assertEquals(e.getValue(), times, 0.005, c.id());
        }
    }

    /** T-RevSNN's Table 2 and 4 ratios: each claim's paper ratio is the quotient of the cells it names. */
    @Test
    void theTrevSnnReferenceHoldsItsTablesRatios() {
        PaperReference r = ReferenceLoader.resource(PaperRegistry.load().get("trevsnn"));
        Claim memory = r.claims().stream().filter(c -> c.id().equals("memory-tiny-vs-ms-resnet34")).findFirst().orElseThrow();
        assertEquals(57.5 / 267.1, memory.paperRatio(), 1e-12);
        assertEquals(0.35, memory.target(), 1e-12, "issue 8's target: at most 0.35");
        for (Claim c : r.claims()) {
            var num = r.value(c.table(), c.numerator(), c.column());
            var den = r.value(c.table(), c.denominator(), c.column());
            if (num.isPresent() && den.isPresent()) {
                assertEquals(num.get().value() / den.get().value(), c.paperRatio(), 1e-12, c.id());
            }
        }
        assertEquals(6.1 / 11.2, r.value("table2", "trevsnn-tiny", "epoch_time").orElseThrow().value()
                / r.value("table2", "ms-resnet34-t6", "epoch_time").orElseThrow().value(), 1e-12);
        assertEquals("accuracy", r.column("energy").specColumn());
        assertEquals(List.of("table2", "table4", "table5", "table6", "training-split", "inference", "table3", "figure2"),
                r.tables());
        // the training split's phases show wherever a row asks for it; the memory readings only where claimed
        assertTrue(r.column("phase_recompute").shownWhereAsked());
        assertEquals("train_split", r.column("phase_recompute").specColumn());
        assertFalse(r.column("activation_memory").shownWhereAsked());
    }

    private static void assertBad(String yaml, String... fragments) {
        ReferenceException e = assertThrows(ReferenceException.class, () -> ReferenceLoader.read(yaml, "demo.yaml", COLUMNS));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' does not contain '" + f + "'");
        }
    }
}
