package org.revbench.reports.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.revbench.harness.spec.SpecRow;
import org.revbench.reports.compare.Ours;

/**
 * The numbers of a head-to-head study and what they say: the Pareto front of memory against step time, and sentences
 * generated from the numbers (never written by hand): which method is fastest within a memory budget on this machine,
 * what each saves against the baseline and against the alternative, how memory grows with T. Knows no method: the
 * study's spec names them and marks the baseline and the alternative ({@link SpecRow#role}).
 */
public final class HeadToHead {

    private final List<MethodPoint> points;

    public HeadToHead(List<MethodPoint> points) {
        this.points = List.copyOf(points);
    }

    public List<MethodPoint> points() { return points; }

    /** The methods, in the spec's order. */
    public List<String> methods() {
        return List.copyOf(new LinkedHashSet<>(points.stream().map(MethodPoint::method).toList()));
    }

    /** The depth groups, in the spec's order. */
    public List<String> depths() {
        return List.copyOf(new LinkedHashSet<>(points.stream().map(MethodPoint::depth).toList()));
    }

    /** The T values measured, ascending. */
    public List<Integer> timesteps() {
        return List.copyOf(new TreeSet<>(points.stream().map(MethodPoint::timesteps).toList()));
    }

    public Optional<MethodPoint> at(String method, String depth, int t) {
        return points.stream().filter(p -> p.method().equals(method) && p.depth().equals(depth) && p.timesteps() == t)
                .findFirst();
    }

    /** The points of one depth and T that have both memory and step time. */
    public List<MethodPoint> placed(String depth, int t) {
        return points.stream().filter(p -> p.depth().equals(depth) && p.timesteps() == t && p.placed()).toList();
    }

    /**
     * The Pareto front at one depth and T: the methods no other beats in both memory and step time, by increasing
     * memory (so by decreasing time).
     */
    public List<MethodPoint> front(String depth, int t) {
        List<MethodPoint> placed = placed(depth, t);
        return placed.stream().filter(p -> placed.stream().noneMatch(o -> o.dominates(p)))
                .sorted(Comparator.comparingDouble(MethodPoint::memory)).toList();
    }

    /** The T the chart and the sentences use: the middle of those measured (T 4 of 2, 4, 8). */
    public int referenceTimesteps() {
        List<Integer> ts = timesteps();
        return ts.isEmpty() ? 0 : ts.get((ts.size() - 1) / 2);
    }

    /** The fastest placed point within {@code budget} MiB per image, if any fits. */
    public Optional<MethodPoint> fastestWithin(String depth, int t, double budget) {
        return placed(depth, t).stream().filter(p -> p.memory() <= budget).min(Comparator.comparingDouble(MethodPoint::stepMs));
    }

    /** The baseline's point at one depth and T ({@link SpecRow#BASELINE}), if the study has one there. */
    public Optional<MethodPoint> baseline(String depth, int t) {
        return points.stream().filter(p -> p.depth().equals(depth) && p.timesteps() == t
                && SpecRow.BASELINE.equals(p.role())).findFirst();
    }

    /** The baseline method's name, or null when no row is marked as the baseline. */
    public String baselineMethod() {
        return points.stream().filter(p -> SpecRow.BASELINE.equals(p.role())).map(MethodPoint::method).findFirst().orElse(null);
    }

    /** The points of one depth and T whose memory is measured. */
    private List<MethodPoint> withMemory(String depth, int t) {
        return points.stream().filter(p -> p.depth().equals(depth) && p.timesteps() == t && p.memory() != null).toList();
    }

    /**
     * Sentences about one depth at T {@link #referenceTimesteps()}, generated from the numbers: the Pareto front, the
     * fastest method within half the baseline's memory, the least memory, then each method against the baseline and
     * the alternative, then the growth with T. Where step times are missing, the memory parts only.
     */
    public List<String> sentences(String depth) {
        int t = referenceTimesteps();
        List<String> out = new ArrayList<>();
        List<MethodPoint> measured = withMemory(depth, t);
        if (measured.isEmpty()) {
            out.add("Nothing is measured at depth " + depth + ", T " + t + " yet.");
            return out;
        }
        String where = "At depth " + depth + ", T " + t;
        Optional<MethodPoint> base = baseline(depth, t).filter(p -> p.memory() != null);
        Optional<MethodPoint> alt = measured.stream().filter(p -> SpecRow.ALTERNATIVE.equals(p.role()))
                .min(Comparator.comparingDouble(MethodPoint::memory));
        List<MethodPoint> placed = placed(depth, t);
        if (!placed.isEmpty()) {
            List<MethodPoint> front = front(depth, t);
            out.add(where + ", the Pareto front of memory against step time holds " + front.size() + " of " + placed.size()
                    + " methods: " + String.join("; ", front.stream().map(p -> p.method() + " (" + mib(p.memory()) + ", "
                    + ms(p.stepMs()) + ")").toList()) + ". Each other method needs more memory or more time than one of these.");
        }
        if (base.isEmpty()) {
            return out;
        }
        MethodPoint b = base.get();
        if (b.stepMs() != null) {
            double half = b.memory() / 2;
            out.add(fastestWithin(depth, t, half).map(f -> "Within half of " + b.method() + "'s memory (" + mib(half)
                    + "), the fastest method on this machine is " + f.method() + ": " + ms(f.stepMs()) + " per step, "
                    + ratio(f.stepMs() / b.stepMs()) + " " + b.method() + "'s time.")
                    .orElse("No method with a measured step time trains within half of " + b.method() + "'s memory ("
                            + mib(half) + ")."));
        }
        MethodPoint least = measured.stream().min(Comparator.comparingDouble(MethodPoint::memory)).orElseThrow();
        out.add(where + ", the least memory: " + least.method() + ", " + mib(least.memory()) + ", "
                + percentLess(least.memory(), b.memory()) + " than " + b.method() + timeAgainst(least, b) + ".");
        for (MethodPoint p : measured) {
            if (p == b) {
                continue;
            }
            StringBuilder s = new StringBuilder(p.method() + ": " + percentLess(p.memory(), b.memory()) + " than "
                    + b.method() + timeAgainst(p, b));
            if (alt.isPresent() && !SpecRow.ALTERNATIVE.equals(p.role())) {
                MethodPoint a = alt.get();
                s.append("; against ").append(a.method()).append(", ").append(percentLess(p.memory(), a.memory()))
                        .append(timeAgainst(p, a));
            }
            out.add(s.append('.').toString());
        }
        growth(depth).ifPresent(out::add);
        return out;
    }

    /**
     * The one sentence the report's index repeats for a depth: the fastest method within half the baseline's memory
     * where step times are measured, else the least memory.
     */
    public String headline(String depth) {
        List<String> all = sentences(depth);
        return all.stream().filter(s -> s.startsWith("Within half") || s.startsWith("No method with"))
                .findFirst().orElse(all.stream().filter(s -> s.contains("the least memory")).findFirst().orElse(all.get(0)));
    }

    /**
     * Whether the methods train like the baseline, on one training dataset at one depth and T {@link #referenceTimesteps}:
     * the baseline's top-1 over its seeds, then the methods whose mean falls within the baseline's seed range, below it
     * and above it. Empty where the baseline's top-1 on that data is not measured.
     *
     * @param dataset the dataset's key ({@link MethodPoint#top1})
     * @param name    the dataset as the sentence names it
     */
    public Optional<String> accuracy(String depth, String dataset, String name) {
        int t = referenceTimesteps();
        Optional<Ours> base = baseline(depth, t).map(p -> p.top1().get(dataset));
        if (base.isEmpty()) {
            return Optional.empty();
        }
        Ours b = base.get();
        List<String> within = new ArrayList<>();
        List<String> below = new ArrayList<>();
        List<String> above = new ArrayList<>();
        for (MethodPoint p : points) {
            Ours o = p.top1().get(dataset);
            if (o == null || SpecRow.BASELINE.equals(p.role()) || !p.depth().equals(depth) || p.timesteps() != t) {
                continue;
            }
            String named = p.method() + " " + pct(o.mean());
            (o.mean() < b.min() ? below : o.mean() > b.max() ? above : within).add(named);
        }
        if (within.isEmpty() && below.isEmpty() && above.isEmpty()) {
            return Optional.empty();
        }
        String s = "Top-1 on " + name + " at depth " + depth + ", T " + t + ": " + baselineMethod() + " " + pct(b.mean())
                + " over " + b.measurements().size() + " seeds (" + pct(b.min()) + " to " + pct(b.max()) + ")";
        s += within.isEmpty() ? "; no method's mean falls within that range" : "; within that range: " + String.join(", ", within);
        if (!below.isEmpty()) {
            s += "; below it: " + String.join(", ", below);
        }
        if (!above.isEmpty()) {
            s += "; above it: " + String.join(", ", above);
        }
        return Optional.of(s + ".");
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", v);
    }

    /** " at 1.23x its step time", or nothing where either time is missing. */
    private static String timeAgainst(MethodPoint p, MethodPoint against) {
        return p.stepMs() == null || against.stepMs() == null ? ""
                : " at " + ratio(p.stepMs() / against.stepMs()) + " its step time";
    }

    /** How each method's memory per image grows from the smallest T to the largest, at one depth. */
    Optional<String> growth(String depth) {
        List<Integer> ts = timesteps();
        if (ts.size() < 2) {
            return Optional.empty();
        }
        int lo = ts.get(0);
        int hi = ts.get(ts.size() - 1);
        List<String> parts = new ArrayList<>();
        String flattest = null;
        double flattestGrowth = Double.POSITIVE_INFINITY;
        for (String m : methods()) {
            Optional<MethodPoint> a = at(m, depth, lo).filter(p -> p.memory() != null);
            Optional<MethodPoint> b = at(m, depth, hi).filter(p -> p.memory() != null);
            if (a.isPresent() && b.isPresent()) {
                double g = b.get().memory() / a.get().memory();
                parts.add(m + " x" + String.format(Locale.ROOT, "%.2f", g));
                if (g < flattestGrowth) {
                    flattestGrowth = g;
                    flattest = m;
                }
            }
        }
        if (parts.size() < 2) {
            return Optional.empty();
        }
        return Optional.of("From T " + lo + " to T " + hi + " at depth " + depth + ", memory per image grows " + String.join(", ", parts)
                + "; least for " + flattest + ".");
    }

    static String mib(double v) {
        return String.format(Locale.ROOT, "%.1f MiB/img", v);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%.0f ms", v);
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2fx", r);
    }

    /** "42 % less" or "15 % more" memory. */
    static String percentLess(double v, double against) {
        double d = 1 - v / against;
        return d >= 0 ? String.format(Locale.ROOT, "%.0f %% less memory", 100 * d)
                : String.format(Locale.ROOT, "%.0f %% more memory", -100 * d);
    }
}
