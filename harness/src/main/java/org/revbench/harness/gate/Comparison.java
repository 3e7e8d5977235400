package org.revbench.harness.gate;

import org.revbench.harness.result.Measurement;

/**
 * One line of the gate's report.
 *
 * @param key  what was compared; its seed is null where the rule took all seeds of a row together
 * @param unit the metric's unit
 * @param rule the rule that judged it
 */
public record Comparison(Measurement.Key key, String unit, Rule rule, Verdict verdict) {

    public Status status() { return verdict.status(); }
}
