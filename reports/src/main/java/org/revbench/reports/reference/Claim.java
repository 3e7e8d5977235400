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
 * @param paperRatio  the ratio the paper states in words where it prints no two cells to divide (e.g. "58.65x
 *                    less"), or null to divide the paper's cells
 * @param lowerIsBetter which way the ratio improves; null: the column's direction
 * @param source      where the paper states it, when {@code paperRatio} is given
 * @param basis       whether the paper printed the ratio (or the two cells it divides), or we read it from the
 *                    paper's analysis (a big-O bound, the middle of a stated range)
 * @param checks      rows that check the claim's method at the claim's setting by the invertibility protocol: a
 *                    row of the paper's audit table, or {@code table:row} of another of its tables; the verdict
 *                    says when one fails (an empty list: none)
 */
public record Claim(String id, String text, String table, String numerator, String denominator, String column,
                    String oursColumn, Double target, Double paperRatio, Boolean lowerIsBetter, String source,
                    Basis basis, java.util.List<String> checks) {

    /** Where the paper's side of a claim comes from. */
    public enum Basis {
        /** the paper prints the ratio, or the two cells it divides */
        PRINTED("printed"),
        /** the paper never prints this ratio: it follows from its analysis (big-O, the middle of a range) */
        EXPECTED("expected from the paper's analysis");

        private final String label;

        Basis(String label) { this.label = label; }

        public String label() { return label; }
    }

    /** A target is a bound on the side the claim improves towards: at most for lower-is-better, at least otherwise. */
    public boolean meets(double ratio, boolean columnLowerIsBetter) {
        boolean lower = lowerIsBetter != null ? lowerIsBetter : columnLowerIsBetter;
        return lower ? ratio <= target : ratio >= target;
    }
}
