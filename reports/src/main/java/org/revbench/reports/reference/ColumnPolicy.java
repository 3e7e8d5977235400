package org.revbench.reports.reference;

/**
 * How one results-table column of a paper compares with our measurement (references/columns.yaml).
 *
 * @param id         the spec column ({@code params}, {@code memory} ...) or {@code timesteps}
 * @param header     the column's heading
 * @param unit       the paper's unit, which the report prints
 * @param metric     our measurement's metric, or {@code spec:timesteps}
 * @param factor     multiplies ours into the paper's unit
 * @param digits     decimals printed
 * @param comparable when a paper value and ours measure the same thing
 * @param reproduced tolerance for "reproduced" (null: never)
 * @param within     tolerance for "within tolerance" (null: never)
 * @param lowerIsBetter which way is an improvement
 * @param whyNot     why a comparison is ruled out, printed in the report
 * @param note       how ours is measured, printed under the table
 * @param specColumn the spec column whose rows ask for this one: {@code id} for the shared columns; a paper's own
 *                   column may read another quantity for the same spec column (e.g. the reversible node paper's
 *                   memory in GiB of a batch of 128, or its nodes' share of memory, both from rows that ask for
 *                   {@code memory})
 * @param precisionDependent whether the quantity changes with the numeric precision it was measured in (memory:
 *                   a float16 activation takes half the bytes of a float32 one): such a cell is compared only where
 *                   the paper measured in the precision ours ran in ({@link PaperReference#precision()})
 * @param shownWhereAsked a paper's own column shown in every table whose rows ask for its spec column, not only where
 *                   the paper prints it or a claim reads it (a part of an ours-only measurement, e.g. one phase of
 *                   the training split)
 */
public record ColumnPolicy(String id, String header, String unit, String metric, double factor, int digits,
                           Comparability comparable, Tolerance reproduced, Tolerance within, boolean lowerIsBetter,
                           String whyNot, String note, String specColumn, boolean precisionDependent,
                           boolean shownWhereAsked) {

    /** The pseudo-metric of the {@code timesteps} column: the row's T, read from its spec. */
    public static final String SPEC_TIMESTEPS = "spec:timesteps";

    /** When a paper's value and ours are the same quantity. */
    public enum Comparability {
        /** architecture-only: measured at full size at every scale */
        ARCHITECTURE,
        /** only when ours ran the paper's own protocol */
        PAPER_SCALE,
        /** absolute values depend on the hardware; compared only as ratios */
        NEVER;

        static Comparability parse(String s) {
            return switch (s) {
                case "architecture" -> ARCHITECTURE;
                case "paper-scale" -> PAPER_SCALE;
                case "never" -> NEVER;
                default -> throw new IllegalArgumentException("comparable must be architecture, paper-scale or never, not '" + s + "'");
            };
        }
    }

    /** The heading with its unit, e.g. {@code Mem (MB/img)}. */
    public String title() {
        return unit.isEmpty() ? header : header + " (" + unit + ")";
    }
}
