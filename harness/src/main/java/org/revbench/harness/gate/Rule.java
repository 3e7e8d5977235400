package org.revbench.harness.gate;

/**
 * How a change in one metric is judged. The rules file ({@code gate/rules.yaml}) maps each metric to one of these
 * kinds; {@link RegressionGate} hands each kind the numbers it needs: one baseline value, all seeds of a row, or
 * the metric's history.
 */
public sealed interface Rule permits ExactRule, ToleranceRule, SeedsRule, ZScoreRule, BoundRule {

    /** The kind as the rules file names it: exact, tolerance, seeds, zscore, bound. */
    String kind();

    /** The kind and its parameters, short, for the report's rule column. */
    String describe();
}
