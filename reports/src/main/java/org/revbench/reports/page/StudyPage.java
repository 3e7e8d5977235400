package org.revbench.reports.page;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecRow;
import org.revbench.reports.chart.ScatterChart;
import org.revbench.reports.compare.Ours;
import org.revbench.reports.compare.ResultIndex;
import org.revbench.reports.study.HeadToHead;
import org.revbench.reports.study.MethodPoint;

/**
 * The page of one study spec (methods of several papers under one protocol, {@link ExperimentSpec#study()}): a table
 * per backbone depth (memory and step time at every T, MACs, latency, top-1 with its spread, trajectory divergence),
 * a memory-against-time chart per depth with the Pareto front, and sentences generated from the numbers. There is no
 * paper value to compare with, so nothing here is a verdict: it is a measurement of this machine, at the scale shown.
 */
public final class StudyPage {

    private final ExperimentSpec spec;
    private final ResultIndex index;
    private final HeadToHead study;
    private final Set<String> scales = new LinkedHashSet<>();
    private final Map<String, String> charts = new LinkedHashMap<>();
    /** The training datasets (at paper scale), in spec order, each with its first row (for its name at a scale). */
    private final Map<String, SpecRow> datasets = new LinkedHashMap<>();

    public StudyPage(ExperimentSpec spec, ResultIndex index) {
        this.spec = spec;
        this.index = index;
        // one point per method, depth and T; a method's top-1 on other data (event frames) comes from rows of its own
        Map<String, MethodPoint> points = new LinkedHashMap<>();
        for (SpecRow r : spec.rows()) {
            if (r.quoted()) {
                continue;
            }
            String depth = r.group() == null ? "" : r.group().replaceFirst("^depth ", "");
            int t = r.at(Scale.PAPER).timesteps();
            String data = r.at(Scale.PAPER).dataset();
            datasets.putIfAbsent(data, r);
            Map<String, Ours> top1 = new LinkedHashMap<>();
            ours(r, "top1").ifPresent(o -> top1.put(data, o));
            MethodPoint p = new MethodPoint(r.label(), depth, t, r.role(), r.id(), value(r, "mib_per_image"),
                    value(r, "train_step_ms"), value(r, "inference_us_per_image"), value(r, "macs"), value(r, "params"),
                    top1, value(r, "trajectory_max_relative_weight_divergence_float32"));
            points.merge(r.label() + "|" + depth + "|" + t, p, MethodPoint::merge);
        }
        this.study = new HeadToHead(List.copyOf(points.values()));
    }

    private Optional<Ours> ours(SpecRow r, String metric) {
        Optional<Ours> o = index.ours(spec.id(), r.id(), metric);
        o.ifPresent(v -> scales.add(v.scale()));
        return o;
    }

    private Double value(SpecRow r, String metric) {
        return ours(r, metric).map(Ours::mean).orElse(null);
    }

    /** The page's file name, without extension. */
    public String name() { return spec.owner() + "-" + spec.table(); }

    public HeadToHead study() { return study; }

    /** The charts embedded in the page, by file name (also written beside it). */
    public Map<String, String> charts() { return charts; }

    public String adoc() {
        Adoc a = new Adoc();
        a.line("= " + Adoc.text(spec.title()));
        a.line(":toc: left");
        a.line(":toclevels: 2");
        a.blank();
        a.line("[.lead]");
        a.line("A study, not a paper's table: every method on matched backbones under one protocol, measured by RevBench"
                + " on this machine. No paper printed these numbers, so nothing here counts as reproduced; the sentences"
                + " below are generated from the numbers. Source: " + Adoc.text(spec.source()) + ". "
                + "xref:index.adoc[Back to the index].");
        a.blank();
        scaleNotes(a);
        for (String depth : study.depths()) {
            a.line("== Depth " + Adoc.text(depth));
            a.blank();
            for (String s : study.sentences(depth)) {
                a.line("* " + Adoc.text(s));
            }
            for (String d : datasets.keySet()) {
                study.accuracy(depth, d, datasetName(d)).ifPresent(s -> a.line("* " + Adoc.text(s)));
            }
            a.blank();
            chart(a, depth);
            table(a, depth);
        }
        return a.toString();
    }

    private void scaleNotes(Adoc a) {
        if (scales.isEmpty()) {
            a.line("Nothing of this study is measured yet: `./revbench run --table " + spec.id() + " --scale cpu`.");
            a.blank();
            return;
        }
        for (String s : scales) {
            Scale scale = Scale.parse(s);
            Set<String> notes = new LinkedHashSet<>();
            spec.rows().stream().filter(r -> !r.quoted()).map(r -> r.at(scale).note()).filter(java.util.Objects::nonNull)
                    .forEach(notes::add);
            a.line("Measured at scale *" + s + "*" + (notes.isEmpty() ? "." : ": " + Adoc.text(String.join("; ", notes)) + "."));
            a.blank();
        }
    }

    private void chart(Adoc a, String depth) {
        int t = study.referenceTimesteps();
        ScatterChart chart = new ScatterChart("training step (ms, batch " + latencyBatch() + ")", "peak training memory (MiB per image)");
        for (MethodPoint p : study.placed(depth, t)) {
            chart.point(p.method(), p.stepMs(), p.memory());
        }
        chart.line("Pareto front", study.front(depth, t).stream().map(p -> new double[] {p.stepMs(), p.memory()}).toList());
        if (chart.isEmpty()) {
            return;
        }
        String svg = chart.svg(760, 420);
        charts.put(name() + "-pareto-" + depth + ".svg", svg);
        a.line(".Memory against step time, depth " + Adoc.text(depth) + ", T " + t + " (lower left is better; the dashed"
                + " line joins the methods no other beats in both)");
        a.chart(svg);
    }

    private int latencyBatch() {
        return spec.rows().get(0).at(scales.isEmpty() ? Scale.CPU : Scale.parse(scales.iterator().next())).latency().batch();
    }

    private void table(Adoc a, String depth) {
        List<Integer> ts = study.timesteps();
        int ref = study.referenceTimesteps();
        List<String> header = new ArrayList<>(List.of("Method", "Params (M)", "GMACs/img (T " + ref + ")"));
        ts.forEach(t -> header.add("MiB/img T " + t));
        ts.forEach(t -> header.add("Step ms T " + t));
        header.add("Inference µs/img (T " + ref + ")");
        datasets.keySet().forEach(d -> header.add("Top-1 % " + datasetName(d) + " (seeds, min–max)"));
        header.add("Divergence from autograd");
        List<List<String>> rows = new ArrayList<>();
        for (String m : study.methods()) {
            Optional<MethodPoint> r = study.at(m, depth, ref);
            Optional<MethodPoint> base = study.baseline(depth, ref);
            List<String> row = new ArrayList<>();
            row.add(Adoc.text(m) + r.map(p -> " " + Adoc.role("small", "(" + Adoc.text(p.row().replaceFirst("-t\\d+$", "")) + ")")).orElse(""));
            row.add(r.map(MethodPoint::params).map(v -> Adoc.number(v / 1e6, 2)).orElse("–"));
            row.add(r.map(MethodPoint::macs).map(v -> Adoc.number(v / 1e9, 2)).orElse("–"));
            for (int t : ts) {
                row.add(cell(study.at(m, depth, t).map(MethodPoint::memory), study.baseline(depth, t).map(MethodPoint::memory), 1));
            }
            for (int t : ts) {
                row.add(cell(study.at(m, depth, t).map(MethodPoint::stepMs), study.baseline(depth, t).map(MethodPoint::stepMs), 0));
            }
            row.add(r.map(MethodPoint::inferenceUs).map(v -> Adoc.number(v, 0)).orElse("–"));
            for (String d : datasets.keySet()) {
                row.add(r.map(p -> p.top1().get(d)).map(o -> Adoc.number(o.mean(), 1) + " " + Adoc.role("small", "("
                        + o.seeds() + ", " + Adoc.number(o.min(), 1) + "–" + Adoc.number(o.max(), 1) + ")")).orElse("–"));
            }
            row.add(r.map(MethodPoint::divergence).map(Adoc::sci).orElse(base.isPresent() && r.isPresent()
                    && r.get() == base.get() ? "(is autograd)" : "–"));
            rows.add(row);
        }
        a.line(".Depth " + Adoc.text(depth) + ": memory per image and step time at each T (ratio to "
                + java.util.Objects.requireNonNullElse(study.baselineMethod(), "the baseline") + " below each), the rest at T " + ref);
        a.table(null, header, rows, "study");
    }

    /**
     * A training dataset as the shown scale has it: its name, or what stands in for it (Fashion-MNIST for CIFAR10 at
     * cpu scale; events simulated from Fashion-MNIST in CIFAR10-DVS's format).
     */
    String datasetName(String paperDataset) {
        Scale scale = scales.isEmpty() ? Scale.PAPER : Scale.parse(scales.iterator().next());
        var s = datasets.get(paperDataset).at(scale);
        return s.standIn() != null ? s.dataset() + " (events simulated from " + s.standIn().from() + ")" : s.dataset();
    }

    private static String cell(Optional<Double> v, Optional<Double> base, int digits) {
        if (v.isEmpty()) {
            return "–";
        }
        String s = Adoc.number(v.get(), digits);
        if (base.isPresent() && base.get() > 0) {
            s += " " + Adoc.role("small", String.format(Locale.ROOT, "%.2fx", v.get() / base.get()));
        }
        return s;
    }
}
