package org.revbench.reports.compare;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Counts of statuses, kept per family so that a sentence built from them never adds a self-check or a repeated
 * configuration to the comparisons with the paper (see {@link CellStatus}).
 */
public final class Tally {

    private final Map<CellStatus, Integer> counts = new EnumMap<>(CellStatus.class);

    public void add(CellStatus s) {
        counts.merge(s, 1, Integer::sum);
    }

    public void addAll(Tally other) {
        other.counts.forEach((s, n) -> counts.merge(s, n, Integer::sum));
    }

    public int count(CellStatus s) {
        return counts.getOrDefault(s, 0);
    }

    /** How many comparisons of ours with a number the paper printed. */
    public int comparisons() {
        return CellStatus.COMPARISONS.stream().mapToInt(this::count).sum();
    }

    /** How many reproduced or within tolerance (a claim stronger than the paper's is not "reproduced"). */
    public int agreeing() {
        return count(CellStatus.REPRODUCED) + count(CellStatus.WITHIN_TOLERANCE);
    }

    /**
     * The tally as text, one clause per family: "9 compared with a printed number (5 reproduced, ...); not compared:
     * ...; checks: 11 passed, 2 failed; ...". {@code styled} renders one status's count and label.
     */
    public String describe(BiFunction<Integer, CellStatus, String> styled) {
        List<String> clauses = new ArrayList<>();
        clauses.add(comparisons() + " compared with a number the paper printed"
                + list(styled, CellStatus.REPRODUCED, CellStatus.WITHIN_TOLERANCE, CellStatus.STRONGER, CellStatus.DIFFERS));
        String notCompared = list(styled, CellStatus.NOT_COMPARABLE, CellStatus.NOT_RUN);
        if (!notCompared.isEmpty()) {
            clauses.add("not compared" + notCompared.replaceFirst("^ \\(", ": ").replaceFirst("\\)$", ""));
        }
        if (count(CellStatus.CHECK_PASSED) + count(CellStatus.CHECK_FAILED) > 0) {
            clauses.add("self-checks: " + styled.apply(count(CellStatus.CHECK_PASSED), CellStatus.CHECK_PASSED) + ", "
                    + styled.apply(count(CellStatus.CHECK_FAILED), CellStatus.CHECK_FAILED));
        }
        if (count(CellStatus.CONFIGURATION) > 0) {
            clauses.add(styled.apply(count(CellStatus.CONFIGURATION), CellStatus.CONFIGURATION) + " (our own settings, not counted)");
        }
        if (count(CellStatus.OURS_ONLY) > 0) {
            clauses.add(styled.apply(count(CellStatus.OURS_ONLY), CellStatus.OURS_ONLY));
        }
        return String.join("; ", clauses);
    }

    /** " (a x, b y)" for the statuses with a count, or "" when none has one. */
    private String list(BiFunction<Integer, CellStatus, String> styled, CellStatus... statuses) {
        List<String> parts = new ArrayList<>();
        for (CellStatus s : statuses) {
            if (count(s) > 0) {
                parts.add(styled.apply(count(s), s));
            }
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** Plain text, for logs and tests: "3 reproduced". */
    public static String plain(int n, CellStatus s) {
        return n + " " + s.label();
    }

    @Override
    public String toString() {
        return describe(Tally::plain);
    }
}
