package org.revbench.reports.page;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.Column;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.RowSettings;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecRow;
import org.revbench.reports.chart.LineChart;
import org.revbench.reports.compare.AuditCheck;
import org.revbench.reports.compare.Cell;
import org.revbench.reports.compare.CellComparator;
import org.revbench.reports.compare.CellStatus;
import org.revbench.reports.compare.ClaimComparator;
import org.revbench.reports.compare.ClaimResult;
import org.revbench.reports.compare.Ours;
import org.revbench.reports.compare.ResultIndex;
import org.revbench.reports.compare.Tally;
import org.revbench.reports.compare.TrajectoryCheck;
import org.revbench.reports.reference.Claim;
import org.revbench.reports.reference.ColumnPolicy;
import org.revbench.reports.reference.FigureSpec;
import org.revbench.reports.reference.PaperReference;
import org.revbench.reports.reference.ReferenceValue;

/**
 * One paper's page: its headline claims, every results table with the paper's value beside ours, our charts,
 * the invertibility audit and the discrepancies in the paper's own numbers.
 */
public final class PaperPage {

    /** The order columns appear in, the papers' own (parameters and T first, then accuracy, time, memory). */
    static final List<String> COLUMN_ORDER = List.of("params", "timesteps", "flops", "accuracy", "train_time",
            "inference", "memory", "train_step", "train_split");

    private static final Pattern DEPTH = Pattern.compile("^(.*?)-?(\\d+)$");

    private final PaperReference ref;
    private final List<ExperimentSpec> specs;
    private final ResultIndex index;
    private final CellComparator cells;
    private final Map<String, String> charts = new LinkedHashMap<>();
    private final Tally tally = new Tally();
    private List<ClaimResult> claims;

    public PaperPage(PaperReference ref, List<ExperimentSpec> specs, ResultIndex index) {
        this.ref = ref;
        this.specs = specs;
        this.index = index;
        this.cells = new CellComparator(index, ref.precision());
    }

    /** The headline claims of this paper, compared (once: the page and the index both show them). */
    public List<ClaimResult> claims() {
        if (claims == null) {
            ClaimComparator comparator = new ClaimComparator(cells, new AuditCheck(index));
            claims = ref.claims().stream().map(c -> comparator.compare(ref, spec(c.table()), c)).toList();
        }
        return claims;
    }

    /** The charts the page shows, by file name (SVG text), to write beside the page. */
    public Map<String, String> charts() { return charts; }

    /** How many cells of each status the tables and the audit hold (after {@link #adoc()}). */
    public Tally tally() { return tally; }

    public String adoc() {
        Adoc a = new Adoc();
        a.line("= " + Adoc.text(ref.title()));
        a.line(":toc: left");
        a.line(":toclevels: 2");
        a.blank();
        a.line("[.lead]");
        a.line(Adoc.text(ref.authors()) + ". The paper measured on "
                + Adoc.text(ref.setting()) + ".");
        a.blank();
        a.line("Each cell gives the paper's value, ours (with the scale that made it), their ratio or difference, and "
                + "a status; numbered notes under a table say why a value was not run or cannot be compared. "
                + "xref:index.adoc#_how_to_read[How to read this report].");
        a.blank();
        headline(a, claims());
        for (String table : ref.tables()) {
            results(a, spec(table));
        }
        if (ref.audit() != null) {
            audit(a, spec(ref.audit()));
        }
        if (ref.trajectories() != null) {
            trajectories(a, spec(ref.trajectories()));
        }
        if (ref.crosscheck() != null) {
            crosscheck(a, spec(ref.crosscheck()));
        }
        discrepancies(a);
        return a.toString();
    }

    /** The claims table; {@code paperCells}, when not null, is a first column naming each claim's paper. */
    static void headlineTable(Adoc a, List<ClaimResult> results, List<String> paperCells) {
        boolean withPaperColumn = paperCells != null;
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            ClaimResult r = results.get(i);
            List<String> row = new ArrayList<>();
            if (withPaperColumn) {
                row.add(paperCells.get(i));
            }
            row.add(Adoc.text(r.claim().text()) + (r.claim().source() == null ? ""
                    : " +\n" + Adoc.role("small", "stated in " + Adoc.text(r.claim().source()))));
            row.add(Adoc.number(r.paperRatio(), 3) + (r.claim().basis() == Claim.Basis.PRINTED ? ""
                    : " +\n" + Adoc.role("st-expected", r.claim().basis().label())));
            row.add(Double.isNaN(r.oursRatio()) ? "–" : "*" + Adoc.number(r.oursRatio(), 3) + "* +\n"
                    + Adoc.role("small", Adoc.text(r.detail())));
            row.add(r.scale() == null ? Adoc.text(r.detail()) : r.scale());
            row.add(r.direction() == null ? "–" : Adoc.text(r.direction()));
            row.add(r.magnitude() == null || "as the paper".equals(r.direction()) ? "–" : Adoc.text(r.magnitude()));
            Boolean met = r.targetMet();
            row.add(r.claim().target() == null ? "–" : (r.lowerIsBetter() ? "≤ " : "≥ ") + Adoc.number(r.claim().target(), 2)
                    + (met == null ? "" : met ? " " + Adoc.role("st-reproduced", "met") : " " + Adoc.role("st-differs", "missed")));
            StringBuilder verdict = new StringBuilder(Adoc.role(r.status().role(), r.status().label()));
            for (AuditCheck.Result failed : r.failedChecks()) {
                verdict.append(" +\n").append(Adoc.role(CellStatus.CHECK_FAILED.role(), "its method fails its check"))
                        .append(" ").append(Adoc.role("small", Adoc.text(failed.describe())));
            }
            row.add(verdict.toString());
            rows.add(row);
        }
        List<String> header = new ArrayList<>();
        if (withPaperColumn) {
            header.add("Paper");
        }
        header.addAll(List.of("Claim", "Paper's ratio", "Ours", "Scale", "Ours against it", "By", "Target", "Verdict"));
        a.table(withPaperColumn ? "2,4,2,3,1,1,1,2,3" : "4,2,3,1,1,1,2,3", header, rows, "headline");
    }

    private void headline(Adoc a, List<ClaimResult> results) {
        a.line("== Headline claims");
        a.blank();
        a.line(claimsLegend());
        a.blank();
        headlineTable(a, results, null);
    }

    /** How a claim is judged, in one paragraph (the index and every paper page print it). */
    static String claimsLegend() {
        return "The paper's claims as ratios of two of its own cells, beside the same ratio of our measurements made in "
                + "one run at one scale. A ratio survives the change from the paper's GPU to this machine where "
                + "absolute times do not. Judged two-sided: reproduced when ours lies within "
                + (int) (ClaimComparator.REPRODUCED * 100) + " % of the paper's ratio either way, within tolerance within "
                + (int) (ClaimComparator.WITHIN * 100) + " %; beyond that, *holds, stronger than the paper* when ours "
                + "lies further in the claim's direction (a finding to explain, not a reproduction) and *differs* when "
                + "against it. The direction and its magnitude are shown apart. A ratio the paper never printed (a "
                + "big-O bound, the middle of a stated range) is marked as expected from the paper's analysis. Where "
                + "the claim's method fails its own invertibility check at the claim's setting, the verdict says so. "
                + "The target is this project's acceptance bound.";
    }

    private void results(Adoc a, ExperimentSpec spec) {
        a.line("== " + Adoc.text(spec.title()));
        a.blank();
        a.line("Spec `" + spec.file() + "` (`revbench run --table " + spec.id() + "`); source: " + Adoc.text(spec.source()) + ".");
        String table = spec.table();
        if (ref.notes().containsKey(table)) {
            a.blank().line(Adoc.prose(ref.notes().get(table)));
        }
        a.blank();
        scaleNotes(a, spec);
        Map<String, List<SpecRow>> groups = new LinkedHashMap<>();
        for (SpecRow r : spec.rows()) {
            groups.computeIfAbsent(r.group() == null ? "" : r.group(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<SpecRow>> g : groups.entrySet()) {
            if (!g.getKey().isEmpty() && groups.size() > 1) {
                a.line("=== " + Adoc.text(g.getKey()));
                a.blank();
            }
            group(a, spec, g.getValue());
        }
        for (FigureSpec f : ref.figures()) {
            if (f.table().equals(table)) {
                figure(a, spec, f);
            }
        }
    }

    private void scaleNotes(Adoc a, ExperimentSpec spec) {
        Set<String> used = new LinkedHashSet<>();
        for (Measurement m : index.measurements()) {
            if (m.table().equals(spec.id())) {
                used.add(m.scale());
            }
        }
        for (String s : index.scales()) {
            if (!used.contains(s) || s.equals(Scale.PAPER.id())) {
                continue;
            }
            String note = spec.rows().get(0).at(Scale.parse(s)).note();
            a.line("* Scale *" + s + "*: " + Adoc.text(note == null ? "no reduction declared" : note));
        }
        if (used.isEmpty()) {
            a.line("* Nothing of this table is stored at the scales shown (" + String.join(", ", index.scales()) + ").");
        }
        a.blank();
    }

    private void group(Adoc a, ExperimentSpec spec, List<SpecRow> rows) {
        List<String> columns = new ArrayList<>();
        List<String> order = new ArrayList<>(COLUMN_ORDER);
        ref.columns().keySet().stream().filter(c -> !order.contains(c)).forEach(order::add); // a paper's own columns
        for (String c : order) {
            String asks = ref.column(c).specColumn();
            // a paper's own column shows only in tables where the paper prints it or a claim reads it (or, marked so,
            // wherever a row asks for its spec column); a shared one wherever a row asks for it
            boolean own = !COLUMN_ORDER.contains(c) && !ref.column(c).shownWhereAsked();
            boolean claimed = ref.claims().stream().anyMatch(cl -> cl.table().equals(spec.table())
                    && (cl.column().equals(c) || c.equals(cl.oursColumn())));
            boolean any = rows.stream().anyMatch(r -> ref.value(spec.table(), r.id(), c).isPresent()
                    || ((!own || claimed) && !c.equals("timesteps")
                        && r.at(Scale.PAPER).columns().stream().map(Column::id).anyMatch(asks::equals)));
            if (any) {
                columns.add(c);
            }
        }
        List<String> notes = new ArrayList<>();
        List<List<String>> body = new ArrayList<>();
        for (SpecRow r : rows) {
            List<String> line = new ArrayList<>();
            line.add(Adoc.text(r.label() != null ? r.label() : r.id()) + " +\n"
                    + Adoc.role("small", r.quoted() ? "quoted, not built here" : "`" + r.model() + "`"));
            for (String c : columns) {
                ColumnPolicy policy = ref.column(c);
                ReferenceValue paper = ref.value(spec.table(), r.id(), c).orElse(null);
                boolean asked = paper != null || r.at(Scale.PAPER).columns().stream().map(Column::id).anyMatch(policy.specColumn()::equals);
                line.add(asked ? cell(cells.compare(spec, r, policy, paper), notes) : "");
            }
            body.add(line);
        }
        List<String> header = new ArrayList<>();
        header.add("Row");
        columns.forEach(c -> header.add(Adoc.text(ref.column(c).title())));
        a.table("3" + ",2".repeat(columns.size()), header, body, "results");
        List<String> columnNotes = columns.stream().map(ref::column).filter(p -> p.note() != null)
                .map(p -> p.header() + ": " + p.note()).toList();
        if (!notes.isEmpty() || !columnNotes.isEmpty()) {
            a.line("[.notes]");
            for (int i = 0; i < notes.size(); i++) {
                a.line(". " + Adoc.prose(notes.get(i)));
            }
            a.blank();
            for (String n : columnNotes) {
                a.line(Adoc.role("small", Adoc.text(n)) + " +");
            }
            a.blank();
        }
    }

    private String cell(Cell c, List<String> notes) {
        tally.add(c.status());
        ColumnPolicy p = c.column();
        StringBuilder s = new StringBuilder();
        s.append(c.paper() == null ? "paper –" : "paper " + Adoc.number(c.paper().value(), p.digits()));
        if (c.paper() != null && c.paper().derived() != null) {
            // not printed by the paper: computed by us from numbers it printed
            s.append(" ").append(Adoc.role("small", "derived: " + Adoc.text(c.paper().derived())));
        }
        s.append(" +\n");
        if (c.ours() == null) {
            s.append("ours –");
        } else {
            s.append("ours *").append(Adoc.number(c.value(), p.digits())).append("* ").append(oursScale(c.ours(), p));
            if (c.paper() != null && c.paper().oursFrom() != null) {
                // the same architecture measured in another row of the table (e.g. the CIFAR10 row for CIFAR100)
                s.append(" ").append(Adoc.role("small", "from " + Adoc.text(c.paper().oursFrom())));
            }
        }
        s.append(" +\n");
        // a ratio only where both measure the same thing: elsewhere it would read as a finding
        if (c.paper() != null && c.ours() != null && c.status().isComparison()) {
            s.append(p.unit().equals("%") ? Adoc.role("small", signed(c.difference()) + " pts")
                    : Adoc.role("small", "×" + Adoc.number(c.ratio(), 3))).append(" ");
        }
        s.append(Adoc.role(c.status().role(), c.status().label()));
        if (c.reason() != null) {
            int n = notes.indexOf(c.reason());
            if (n < 0) {
                notes.add(c.reason());
                n = notes.size() - 1;
            }
            s.append(" ^").append(n + 1).append("^");
        }
        return s.toString();
    }

    private static String oursScale(Ours o, ColumnPolicy p) {
        if (o.scale().equals("spec")) {
            return Adoc.role("small", "(spec)");
        }
        if (o.seeds() > 1) {
            return Adoc.role("small", "(" + o.scale() + ", " + o.seeds() + " seeds " + Adoc.number(o.min() * p.factor(), p.digits())
                    + "–" + Adoc.number(o.max() * p.factor(), p.digits()) + ")");
        }
        return Adoc.role("small", "(" + o.scale() + ")");
    }

    private static String signed(double d) {
        return (d >= 0 ? "+" : "−") + String.format(Locale.ROOT, "%.2f", Math.abs(d));
    }

    private void figure(Adoc a, ExperimentSpec spec, FigureSpec f) {
        LineChart chart = new LineChart(f.xLabel(), f.yLabel(), f.logY());
        Set<String> scales = new LinkedHashSet<>();
        for (SpecRow r : spec.rows()) {
            Matcher m = DEPTH.matcher(r.id());
            if (!m.matches()) {
                continue;
            }
            String series = ref.seriesNames().getOrDefault(m.group(1), m.group(1));
            index.ours(spec.id(), r.id(), f.metric()).ifPresent(o -> {
                chart.point(series, Double.parseDouble(m.group(2)), o.mean());
                scales.add(o.scale());
            });
        }
        a.line("." + Adoc.text(f.title()) + (scales.isEmpty() ? "" : " (ours, scale " + String.join(", ", scales) + ")"));
        if (chart.isEmpty()) {
            a.line("[NOTE]");
            StringBuilder why = new StringBuilder();
            for (String s : index.scales()) {
                String note = spec.rows().get(0).at(Scale.parse(s)).note();
                if (note != null) {
                    why.append(" Scale ").append(s).append(": ").append(note).append(".");
                }
            }
            a.line("No `" + f.metric() + "` of " + spec.id() + " is stored at the scales shown ("
                    + String.join(", ", index.scales()) + "), so this chart is empty." + Adoc.text(why.toString()));
            a.blank();
            return;
        }
        embed(a, f.id(), chart.svg(720, 400));
    }

    /** Keeps the chart to write beside the page and shows it under the title line the caller wrote. */
    private void embed(Adoc a, String id, String svg) {
        charts.put(id + ".svg", svg);
        a.chart(svg);
    }

    private void audit(Adoc a, ExperimentSpec spec) {
        a.line("== Invertibility audit");
        a.blank();
        a.line("Every reversible model forwards a random batch; each reversible block's input is reconstructed from its "
                + "output and compared with the input the forward saw (`revbench invert MODEL --dtype float64|float32`). "
                + "Reconstruction is exact in exact arithmetic (" + Adoc.text(spec.source()) + "), so float64 must stay at rounding level: "
                + "the bound is 1e-10 relative (the worst seed). These are self-checks of our code, tallied apart from "
                + "comparisons with the paper. Spec `" + spec.file() + "`.");
        a.blank();
        List<List<String>> rows = new ArrayList<>();
        AuditCheck checks = new AuditCheck(index);
        for (SpecRow r : spec.rows()) {
            double abs64 = mean(spec, r, "max_abs_error_float64");
            double abs32 = mean(spec, r, "max_abs_error_float32");
            double rel32 = mean(spec, r, "max_rel_error_float32");
            AuditCheck.Result check = checks.check(spec.id(), r.id());
            CellStatus st = check.status();
            tally.add(st);
            RowSettings at = r.at(Scale.PAPER);
            String verdict = st == CellStatus.CHECK_PASSED ? "exact (≤ 1e-10)" : st == CellStatus.CHECK_FAILED ? "fails (> 1e-10)" : st.label();
            rows.add(List.of("`" + r.model() + "`", String.valueOf(at.timesteps()), Adoc.sci(abs64), Adoc.sci(check.maxRelError()),
                    Adoc.sci(abs32), Adoc.sci(rel32), check.scale() == null ? "–" : check.scale(), Adoc.role(st.role(), verdict)));
        }
        a.table("3,1,2,2,2,2,1,2", List.of("Model", "T", "float64 max abs", "float64 max rel", "float32 max abs",
                "float32 max rel", "Scale", "Status"), rows, "audit");
        for (FigureSpec f : ref.figures()) {
            if (f.table().equals(spec.table())) {
                figure(a, spec, f);
            }
        }
    }

    private void trajectories(Adoc a, ExperimentSpec spec) {
        a.line("== Training trajectories: the memory-saving backward against plain autograd");
        a.blank();
        a.line("Accuracy cells need the paper's GPU protocol; what fits here is stronger for the claim that the "
                + "memory-saving backward costs no accuracy. Each network is built twice from one seed and trained on the "
                + "same batches, once with its memory-saving backward and once with plain autograd, in float64 and "
                + "float32. Exact in float64 (relative weight divergence ≤ " + Adoc.sci(TrajectoryCheck.FLOAT64_BOUND)
                + ") and small in float32 (≤ " + Adoc.sci(TrajectoryCheck.FLOAT32_BOUND) + ") is the evidence that it "
                + "trains as its plain twin. A third network, the control, is plain autograd from the same weights "
                + "nudged by one ulp each: how far it parts from plain autograd is what round-off alone does to this "
                + "run (a spike that flips sends two runs apart). Beyond its bound, a divergence that at every compared "
                + "step is at most " + whole(TrajectoryCheck.CONTROL_FACTOR) + " times the control's at that step is "
                + "round-off amplified, not a cost of the method; beyond that, at any step, it is a finding (step by "
                + "step, because over a long run the control's chaos catches up with an early parting). Self-checks, tallied apart from "
                + "comparisons. Spec `" + spec.file() + "` (`revbench run --table " + spec.id() + "`).");
        a.blank();
        scaleNotes(a, spec);
        List<List<String>> rows = new ArrayList<>();
        TrajectoryCheck checks = new TrajectoryCheck(index);
        List<TrajectoryCheck.Result> measured = new ArrayList<>();
        for (SpecRow r : spec.rows()) {
            for (String dtype : List.of("float64", "float32")) {
                var found = checks.check(spec.id(), r.id(), dtype);
                if (found.isEmpty()) {
                    tally.add(CellStatus.NOT_RUN);
                    rows.add(List.of(Adoc.text(r.label()), dtype, "–", "–", "–", "–", "–", "–", "–", "–",
                            Adoc.role(CellStatus.NOT_RUN.role(), "not run")));
                    continue;
                }
                TrajectoryCheck.Result t = found.get();
                measured.add(t);
                tally.add(t.status());
                Object steps = t.details().get("steps");
                Object first = t.details().get("first_loss_divergence_step");
                Object controlFirst = t.details().get("control_first_loss_divergence_step");
                boolean control = t.controlRelativeDivergence() != null;
                rows.add(List.of(Adoc.text(r.label()), dtype, whole(steps), Adoc.sci(t.absoluteDivergence()),
                        Adoc.sci(t.relativeDivergence()), Adoc.sci(t.lossDifference()),
                        first == null ? "never" : whole(first),
                        control ? Adoc.sci(t.controlRelativeDivergence()) : "not trained",
                        !control ? "–" : controlFirst == null ? "never" : whole(controlFirst),
                        t.controlRatio() == null ? "–" : Adoc.number(t.controlRatio(), 1),
                        Adoc.role(t.status().role(), t.basis().text())
                                + " " + Adoc.role("small", "(" + t.measurement().scale() + ")")));
            }
        }
        a.table("3,1,1,2,2,2,2,2,2,2,3", List.of("Network", "dtype", "Steps", "Max weight divergence", "relative",
                "Max loss difference", "Losses differ > threshold from step", "Control: relative divergence",
                "Control: losses differ from step", "Largest ratio to the control at one step", "Verdict"), rows,
                "audit");
        for (TrajectoryCheck.Result t : measured) {
            lossChart(a, spec, t);
            divergenceChart(a, spec, t);
        }
    }

    /**
     * Each row's model beside its plain-PyTorch twin: training-step medians and peak memory per image on both sides,
     * their ratios, and both frameworks' versions (from the measurement's details). Ours only: the papers print no
     * such numbers, so nothing here counts as a comparison with a paper.
     */
    private void crosscheck(Adoc a, ExperimentSpec spec) {
        a.line("== Cross-check: the baseline against plain PyTorch");
        a.blank();
        a.line("A reversible model's saving is only as honest as its baseline. The baseline is measured twice, by our "
                + "code and by a plain PyTorch implementation of the same network and neuron "
                + "(`harness/src/main/python/pytorch_twin.py`), with the same batch, T, intra-op threads and memory "
                + "allocator, one after the other in one run: the training step's median time, and the peak memory per "
                + "image counted by the same allocation counter on both sides. A ratio near 1 says our numbers are "
                + "PyTorch's; above 1, our baseline is the slower or larger and every ratio against it flatters the "
                + "reversible models by that much. Times on a busy machine are load-affected. Spec `" + spec.file()
                + "` (`revbench run --table " + spec.id() + "`; one model by hand: `revbench crosscheck pytorch`).");
        a.blank();
        scaleNotes(a, spec);
        List<List<String>> rows = new ArrayList<>();
        for (SpecRow r : spec.rows()) {
            var ourStep = index.ours(spec.id(), r.id(), "crosscheck_ours_step_ms");
            var theirStep = index.ours(spec.id(), r.id(), "crosscheck_pytorch_step_ms");
            var ourMem = index.ours(spec.id(), r.id(), "crosscheck_ours_mib_per_image");
            var theirMem = index.ours(spec.id(), r.id(), "crosscheck_pytorch_mib_per_image");
            if (ourStep.isEmpty() || theirStep.isEmpty()) {
                tally.add(CellStatus.NOT_RUN);
                rows.add(List.of(Adoc.text(r.label()), "–", "–", "–", "–", "–", "–", "–", "–",
                        Adoc.role(CellStatus.NOT_RUN.role(), "not run")));
                continue;
            }
            tally.add(CellStatus.OURS_ONLY);
            Map<String, Object> d = ourStep.get().measurements().get(0).details();
            String versions = "ours: " + Adoc.text(String.valueOf(d.get("ours"))) + " +\ntheirs: "
                    + Adoc.text(String.valueOf(d.get("theirs"))) + ", Python " + Adoc.text(String.valueOf(d.get("theirs_python")));
            String setting = "batch " + whole(d.get("batch")) + ", T " + whole(d.get("timesteps")) + ", "
                    + whole(d.get("threads")) + " thread(s), " + Adoc.text(String.valueOf(d.get("theirs_allocator")));
            double os = ourStep.get().mean();
            double ts = theirStep.get().mean();
            boolean mem = ourMem.isPresent() && theirMem.isPresent();
            rows.add(List.of(Adoc.text(r.label()), versions, setting,
                    Adoc.number(os, 1) + " ms", Adoc.number(ts, 1) + " ms", "*" + Adoc.number(os / ts, 3) + "*",
                    mem ? Adoc.number(ourMem.get().mean(), 3) + " MiB" : "–",
                    mem ? Adoc.number(theirMem.get().mean(), 3) + " MiB" : "–",
                    mem ? "*" + Adoc.number(ourMem.get().mean() / theirMem.get().mean(), 4) + "*" : "–",
                    Adoc.role(CellStatus.OURS_ONLY.role(), "ours only") + " " + Adoc.role("small",
                            "(" + ourStep.get().scale() + ")")));
        }
        a.table("3,4,2,1,1,1,1,1,1,2", List.of("Model", "Frameworks", "Setting", "Step, ours", "Step, PyTorch",
                "ours / PyTorch", "Memory, ours", "Memory, PyTorch", "ours / PyTorch", "Status"), rows, "audit");
    }

    /**
     * The relative weight divergence of the memory-saving twin and of the control from plain autograd over the run,
     * on a log scale: parting like the control is round-off; parting earlier or further is the method's.
     */
    private void divergenceChart(Adoc a, ExperimentSpec spec, TrajectoryCheck.Result t) {
        List<Double> steps = numbers(t.details().get("divergence_steps"));
        List<Double> saving = numbers(t.details().get("relative_weight_divergence"));
        List<Double> control = numbers(t.details().get("control_relative_weight_divergence"));
        if (control.isEmpty() || steps.size() != saving.size() || steps.size() != control.size()) {
            return;
        }
        LineChart chart = new LineChart("step", "relative weight divergence from plain autograd", true);
        for (int i = 0; i < steps.size(); i++) {
            // a log scale has no 0: a check where the twins were bit-identical is left out of the curve
            if (saving.get(i) > 0) {
                chart.point("memory-saving backward", steps.get(i), saving.get(i));
            }
            if (control.get(i) > 0) {
                chart.point("control (autograd, weights one ulp off)", steps.get(i), control.get(i));
            }
        }
        if (chart.isEmpty()) {
            return;
        }
        a.line("." + Adoc.text(t.row() + ", " + t.dtype() + ": weight divergence from plain autograd, memory-saving "
                + "twin against the one-ulp control (" + t.measurement().scale() + ")"));
        embed(a, spec.owner() + "-trajectory-divergence-" + t.row() + "-" + t.dtype(), chart.svg(640, 300));
    }

    /** Both loss curves of one row and dtype; where they lie on each other, that is the finding. */
    private void lossChart(Adoc a, ExperimentSpec spec, TrajectoryCheck.Result t) {
        LineChart chart = new LineChart("step", "training loss", false);
        List<Double> saving = numbers(t.details().get("loss_memory_saving"));
        List<Double> plain = numbers(t.details().get("loss_autograd"));
        for (int i = 0; i < saving.size(); i++) {
            chart.point("memory-saving backward", i + 1, saving.get(i));
        }
        for (int i = 0; i < plain.size(); i++) {
            chart.point("plain autograd", i + 1, plain.get(i));
        }
        List<Double> control = numbers(t.details().get("loss_control"));
        for (int i = 0; i < control.size(); i++) {
            chart.point("control (autograd, weights one ulp off)", i + 1, control.get(i));
        }
        if (chart.isEmpty()) {
            return;
        }
        a.line("." + Adoc.text(t.row() + ", " + t.dtype() + ": training loss of both twins (" + t.measurement().scale() + ")"));
        embed(a, spec.owner() + "-trajectory-" + t.row() + "-" + t.dtype(), chart.svg(640, 300));
    }

    /** A step count read back from JSON details (where it may have become 60.0) as a whole number. */
    private static String whole(Object o) {
        return o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.longValue()) : String.valueOf(o);
    }

    private static List<Double> numbers(Object o) {
        List<Double> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object v : l) {
                if (v instanceof Number n) {
                    out.add(n.doubleValue());
                }
            }
        }
        return out;
    }

    private double mean(ExperimentSpec spec, SpecRow r, String metric) {
        return index.ours(spec.id(), r.id(), metric).map(Ours::mean).orElse(Double.NaN);
    }

    private void discrepancies(Adoc a) {
        if (ref.discrepancies().isEmpty()) {
            return;
        }
        a.line("== Discrepancies in the paper's own numbers");
        a.blank();
        a.line("Where a printed number cannot be reproduced from the paper's own definitions, independent of our measurements.");
        a.blank();
        for (var d : ref.discrepancies()) {
            a.line("." + Adoc.text(d.title()));
            a.line("****");
            a.line(Adoc.text(d.text()));
            a.line("****");
            a.blank();
        }
    }

    private ExperimentSpec spec(String table) {
        String id = ref.specId(table);
        return specs.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "references/" + ref.paper() + ".yaml names table '" + table + "', but the spec catalog has no " + id));
    }
}
