package org.revbench.harness.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped rules load, and a broken rules file is refused with a message naming the file and the entry. */
class RulesFileTest {

    @Test
    void shippedRulesGiveEachMetricItsKindAndDirection() {
        RuleSet rules = RuleSet.defaults();
        assertInstanceOf(ExactRule.class, rules.ruleFor("params"));
        assertInstanceOf(ExactRule.class, rules.ruleFor("flops"));
        assertInstanceOf(ExactRule.class, rules.ruleFor("macs"));
        assertEquals(new ToleranceRule(Direction.LOWER_IS_BETTER, 0.01), rules.ruleFor("mib_per_image"));
        assertEquals(new SeedsRule(Direction.HIGHER_IS_BETTER, 3, 1.0, 15.0), rules.ruleFor("top1"));
        assertEquals(new ZScoreRule(Direction.LOWER_IS_BETTER, 5, 20, 3, 0.005, 1.5, 3.0), rules.ruleFor("train_step_ms"));
        assertEquals(new ToleranceRule(Direction.LOWER_IS_BETTER, 0.01, 0.05), rules.ruleFor("reference_delta_mib_per_image"));
        assertTrue(rules.keyMetrics().containsAll(java.util.List.of("params", "macs", "mib_per_image", "top1")));
        // no metric the protocols record is left without a way to fail: every z-score rule has a fallback
        for (Rule r : rules.byMetric().values()) {
            if (r instanceof ZScoreRule z) {
                assertTrue(Double.isFinite(z.fallbackRelativeChange()) && Double.isFinite(z.crossMachineRelativeChange()), r.toString());
            }
        }
        assertTrue(Double.isFinite(((ZScoreRule) rules.fallback()).fallbackRelativeChange()));
        assertEquals(new BoundRule(1e-10), rules.ruleFor("max_abs_error"));
        // a metric nobody listed is judged by its history, which never fails without one
        assertInstanceOf(ZScoreRule.class, rules.ruleFor("some_new_metric"));
        assertEquals("classpath:gate/rules.yaml", rules.source());
    }

    @Test
    void leftOutParametersTakeTheDefaultsAndUndottedExponentsAreNumbers() {
        RuleSet rules = RulesFile.parse("""
                default: {rule: exact}
                metrics:
                  t: {rule: zscore, direction: lower}
                  e: {rule: bound, bound: 1e-10}
                """, "mini.yaml");
        assertEquals(new ZScoreRule(Direction.LOWER_IS_BETTER, 5, 20, 3, 0.005), rules.ruleFor("t"));
        assertEquals(new BoundRule(1e-10), rules.ruleFor("e"));
        assertInstanceOf(ExactRule.class, rules.ruleFor("anything"));
    }

    @Test
    void anUnknownRuleNamesTheFileAndTheEntry(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("my-rules.yaml");
        Files.writeString(file, """
                default: {rule: exact}
                metrics:
                  top1: {rule: sedes, direction: higher}
                """);
        RulesFileException e = assertThrows(RulesFileException.class, () -> RulesFile.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("entry 'top1'"), e.getMessage());
        assertTrue(e.getMessage().contains("sedes"), e.getMessage());
    }

    @Test
    void mistakesThatWouldQuietlyChangeACheckAreRefused() {
        assertRefused("metrics:\n  x: {rule: zscore, direction: lower, treshold: 4}", "entry 'x'", "treshold");
        assertRefused("metrics:\n  x: {rule: tolerance, max_relative_change: 0.01}", "entry 'x'", "no 'direction'");
        assertRefused("metrics:\n  x: {rule: seeds, direction: up}", "entry 'x'", "'up'");
        assertRefused("metrics:\n  x: {rule: tolerance, direction: lower, max_relative_change: -1}", "entry 'x'",
                "max_relative_change");
        assertRefused("metrics:\n  x: {rule: zscore, direction: lower, lookback: 2.5}", "entry 'x'", "whole");
        assertRefused("metrics:\n  x: {rule: zscore, direction: lower, lookback: 5, min_history: 6}", "entry 'x'",
                "min_history");
        assertRefused("metrics:\n  x: {rule: bound}", "entry 'x'", "no 'bound'");
        assertRefused("metrics:\n  x: {rule: bound, bound: small}", "entry 'x'", "'small'");
        assertRefused("metrics:\n  x: exact", "entry 'x'", "mapping");
        assertRefused("metrics:\n  x: {rule: exact}\n  x: {rule: exact}", "rules.yaml", "duplicate");
    }

    @Test
    void aFileWithoutADefaultOrWithStrayKeysIsRefused() {
        RulesFileException e = assertThrows(RulesFileException.class,
                () -> RulesFile.parse("metrics: {}", "r.yaml"));
        assertTrue(e.getMessage().startsWith("r.yaml: ") && e.getMessage().contains("default"), e.getMessage());
        e = assertThrows(RulesFileException.class,
                () -> RulesFile.parse("default: {rule: exact}\nmetric: {}", "r.yaml"));
        assertTrue(e.getMessage().contains("'metric'"), e.getMessage());
        e = assertThrows(RulesFileException.class, () -> RulesFile.parse("default: [", "r.yaml"));
        assertTrue(e.getMessage().startsWith("r.yaml: not valid YAML"), e.getMessage());
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        RulesFileException e = assertThrows(RulesFileException.class, () -> RulesFile.load(missing));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }

    private static void assertRefused(String metricsYaml, String... fragments) {
        RulesFileException e = assertThrows(RulesFileException.class,
                () -> RulesFile.parse("default: {rule: exact}\n" + metricsYaml, "rules.yaml"), metricsYaml);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("rules.yaml: "), e.getMessage());
    }
}
