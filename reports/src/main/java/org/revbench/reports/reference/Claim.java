package org.revbench.reports.reference;

/**
 * A paper's claim as a ratio of two of its own cells, to set beside the same ratio of ours.
 *
 * @param id          stable id
 * @param text        the claim in words
 * @param table       the spec table (inside the paper) both rows belong to
 * @param numerator   spec row of the numerator
 * @param denominator spec row of the denominator
 * @param column      the paper's column
 * @param oursColumn  our column when it differs from the paper's (e.g. one training step against whole hours)
 * @param target      the project's acceptance bound on our ratio, or null
 */
public record Claim(String id, String text, String table, String numerator, String denominator, String column,
                    String oursColumn, Double target) {}
