package org.revbench.reports.page;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.revbench.core.paper.Paper;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.Measurement;
import org.revbench.reports.compare.CellComparator;
import org.revbench.reports.compare.CellStatus;
import org.revbench.reports.compare.ClaimResult;
import org.revbench.reports.compare.ResultIndex;
import org.revbench.reports.compare.Tally;
import org.revbench.reports.reference.Claim;
import org.revbench.reports.reference.ColumnPolicy;
import org.revbench.reports.reference.PaperReference;

/** The report's front page: the papers, every headline claim, how to read the cells, and the provenance appendix. */
public final class IndexPage {

    /** A paper as the index shows it. */
    public record PaperSummary(Paper paper, String page, List<ClaimResult> claims, Tally tally, PaperReference reference) {}

    /** A study's page and the sentences the index repeats from it. */
    public record StudySummary(String title, String page, List<String> highlights) {}

    private final List<PaperSummary> papers;
    private final List<StudySummary> studies;
    private final ResultIndex index;
    private final String source;
    private final String generated;

    /**
     * @param source    where the measurements came from (a store URL or a file)
     * @param generated when the report was made, and by which commit
     */
    public IndexPage(List<PaperSummary> papers, ResultIndex index, String source, String generated) {
        this(papers, List.of(), index, source, generated);
    }

    public IndexPage(List<PaperSummary> papers, List<StudySummary> studies, ResultIndex index, String source, String generated) {
        this.papers = papers;
        this.studies = List.copyOf(studies);
        this.index = index;
        this.source = source;
        this.generated = generated;
    }

    public String adoc() {
        Adoc a = new Adoc();
        a.line("= RevBench: reversible spiking neural networks, reproduced");
        a.line(":toc: left");
        a.line(":toclevels: 1");
        a.blank();
        a.line("[.lead]");
        a.line("Every results table of the reversible-SNN papers re-run under one set of protocols, the paper's value "
                + "beside ours. Every number of ours was measured by RevBench's own code; the scale that made it is "
                + "printed beside it.");
        a.blank();
        a.line("Generated " + Adoc.text(generated) + " from " + index.measurements().size() + " measurements in "
                + Adoc.text(source) + "; scales shown, best first: *" + String.join("*, *", index.scales()) + "*.");
        a.blank();
        papersTable(a);
        studies(a);
        a.line("== Headline claims");
        a.blank();
        a.line(PaperPage.claimsLegend());
        a.blank();
        List<ClaimResult> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (PaperSummary p : papers) {
            for (ClaimResult c : p.claims()) {
                all.add(c);
                names.add(p.paper().id());
            }
        }
        if (all.isEmpty()) {
            a.line("No claims yet.").blank();
        } else {
            headline(a, all, names);
        }
        comparability(a);
        howToRead(a);
        provenance(a);
        return a.toString();
    }

    private void headline(Adoc a, List<ClaimResult> all, List<String> names) {
        List<String> paperCells = names.stream().map(this::paperOf)
                .map(p -> "xref:" + p.page() + "[" + p.paper().name() + "]")
                .toList();
        PaperPage.headlineTable(a, all, paperCells);
    }

    private PaperSummary paperOf(String id) {
        return papers.stream().filter(p -> p.paper().id().equals(id)).findFirst().orElseThrow();
    }

    private void papersTable(Adoc a) {
        a.line("== Papers");
        a.blank();
        a.line("Only comparisons of a measurement of ours with a number the paper printed count as reproduced or not. "
                + "Cells that repeat our own configuration, numbers the paper does not print, and our self-checks "
                + "(invertibility) are counted apart.");
        a.blank();
        List<List<String>> rows = new ArrayList<>();
        for (PaperSummary p : papers) {
            String cells = p.tally().describe(IndexPage::styled);
            // a ratio the paper never printed is no reproduction of the paper: tallied apart
            Tally printed = new Tally();
            Tally expected = new Tally();
            p.claims().forEach(c -> (c.claim().basis() == Claim.Basis.PRINTED ? printed : expected).add(c.status()));
            long failing = p.claims().stream().filter(c -> !c.failedChecks().isEmpty()).count();
            String claims = p.claims().size() + ": " + statuses(printed)
                    + (expected.comparisons() + expected.count(CellStatus.NOT_RUN) == 0 ? ""
                        : "; against ratios expected from the paper's analysis, not printed: " + statuses(expected))
                    + (failing == 0 ? "" : "; " + failing + " rest on a method that fails its check");
            rows.add(List.of("xref:" + p.page() + "[" + Adoc.text(p.paper().title()) + "]", cells, claims));
        }
        a.table("4,5,3", List.of("Paper", "Table cells", "Headline claims"), rows, "papers");
    }

    private void studies(Adoc a) {
        if (studies.isEmpty()) {
            return;
        }
        a.line("== Studies");
        a.blank();
        a.line("Methods of several papers measured side by side under one protocol: no paper printed these numbers, so "
                + "they are measurements, not reproductions.");
        a.blank();
        for (StudySummary s : studies) {
            a.line("* xref:" + s.page() + "[" + Adoc.text(s.title()) + "]");
            for (String h : s.highlights()) {
                a.line("** " + Adoc.text(h));
            }
        }
        a.blank();
    }

    private static String statuses(Tally t) {
        return String.join(", ", java.util.Arrays.stream(CellStatus.values())
                .filter(s -> t.count(s) > 0).map(s -> styled(t.count(s), s)).toList());
    }

    private static String styled(int n, CellStatus s) {
        return n + " " + Adoc.role(s.role(), s.label());
    }

    /**
     * The comparability policy, declared once for every paper: per column, the rule; per paper, what it measured how
     * and what the rule makes of it.
     */
    private void comparability(Adoc a) {
        a.line("[#_comparability]");
        a.line("== What is compared with what");
        a.blank();
        a.line("One policy for all papers (`reports/src/main/resources/references/columns.yaml`). Architecture-only "
                + "columns (parameters, FLOPS) are compared at every scale. Accuracy only where ours ran the paper's "
                + "own protocol (scale paper). Absolute times never (other hardware): their claims compare ratios. "
                + "Memory depends on the numeric precision as well as the architecture: a cell is compared only where "
                + "the paper measured in the precision ours ran in (" + CellComparator.OURS_PRECISION + "); otherwise "
                + "its claims compare ratios.");
        a.blank();
        List<PaperSummary> shown = papers.stream().filter(p -> p.reference() != null).toList();
        List<List<String>> rows = new ArrayList<>();
        for (PaperSummary p : shown) {
            PaperReference ref = p.reference();
            CellComparator rule = new CellComparator(index, ref.precision());
            List<String> compared = new ArrayList<>();
            List<String> ratiosOnly = new ArrayList<>();
            for (ColumnPolicy c : ref.columns().values()) {
                if (ref.values().stream().noneMatch(v -> v.column().equals(c.id()))) {
                    continue; // the paper prints nothing in this column
                }
                boolean cells = c.comparable() != ColumnPolicy.Comparability.NEVER && rule.precisionRuledOut(c) == null
                        && !c.metric().equals(ColumnPolicy.SPEC_TIMESTEPS);
                String name = c.header() + (c.comparable() == ColumnPolicy.Comparability.PAPER_SCALE ? " (at scale paper)" : "");
                (cells ? compared : ratiosOnly).add(name);
            }
            rows.add(List.of(Adoc.text(p.paper().name()), Adoc.text(ref.setting()),
                    Adoc.text(ref.precision().value()) + " +\n" + Adoc.role("small", Adoc.text(ref.precision().source())),
                    Adoc.text(String.join(", ", compared)), Adoc.text(ratiosOnly.isEmpty() ? "–" : String.join(", ", ratiosOnly))));
        }
        a.table("1,3,3,3,3", List.of("Paper", "The paper measured on", "Its precision", "Compared cell by cell",
                "Shown, not compared (claims use ratios)"), rows, "comparability");
    }

    private static void howToRead(Adoc a) {
        a.line("[#_how_to_read]");
        a.line("== How to read this report");
        a.blank();
        a.line("A cell holds the paper's value, ours in the paper's unit with the scale that made it, ours divided by the "
                + "paper's (or, for accuracy, the difference in points), and a status:");
        a.blank();
        a.line("[horizontal]");
        a.line(Adoc.role(CellStatus.REPRODUCED.role(), "reproduced") + ":: ours equals the paper's value within the column's "
                + "tolerance (parameters to the printed digits; FLOPS 5 %; memory 10 %; accuracy 0.5 points at paper scale); "
                + "for a claim, ours lies within 5 % of the paper's ratio either way.");
        a.line(Adoc.role(CellStatus.STRONGER.role(), CellStatus.STRONGER.label()) + ":: a claim whose ratio in ours lies "
                + "beyond tolerance in the claim's own direction: the claim holds, by more than the paper says.");
        a.line(Adoc.role(CellStatus.WITHIN_TOLERANCE.role(), "within tolerance") + ":: further off, within the column's wider "
                + "tolerance (parameters 2 %, FLOPS 10 %, memory 25 %, accuracy 1.5 points).");
        a.line(Adoc.role(CellStatus.DIFFERS.role(), "differs") + ":: comparable, and further off than that.");
        a.line(Adoc.role(CellStatus.NOT_COMPARABLE.role(), "not comparable") + ":: ours exists but is another quantity: "
                + "a reduced-scale training run, or an absolute time on other hardware. The note says which.");
        a.line(Adoc.role(CellStatus.NOT_RUN.role(), "not run") + ":: no measurement of ours; the note says why (the real "
                + "dataset is missing, the column needs a GPU or the paper's full protocol, or it is not measured yet).");
        a.line(Adoc.role(CellStatus.OURS_ONLY.role(), "ours only") + ":: the paper prints nothing there.");
        a.line(Adoc.role(CellStatus.CONFIGURATION.role(), "configuration") + ":: the cell repeats our own setting (the "
                + "spec's T) beside the paper's: shown, never counted as reproduced.");
        a.line(Adoc.role(CellStatus.CHECK_PASSED.role(), "check passed") + " / " + Adoc.role(CellStatus.CHECK_FAILED.role(),
                "check failed") + ":: a self-check of our code against a bound (float64 reconstruction within 1e-10), "
                + "not a comparison with the paper.");
        a.line(Adoc.role("st-expected", "expected from the paper's analysis") + ":: a ratio the paper never printed, read "
                + "from its analysis (a big-O bound, the middle of a stated range); a paper value marked *derived* was "
                + "computed by us from two numbers the paper printed.");
        a.blank();
        a.line("Scales: *paper* runs the paper's protocol unchanged (its data, epochs and batch); *cpu* runs the same "
                + "protocol shape reduced to fit a 2-core machine, with Fashion-MNIST, or events recorded from it in the "
                + "real DVS file formats, standing in for the datasets (each table states its reduction); *smoke* is "
                + "for tests. Architecture-only columns (parameters, FLOPS, memory per image, invertibility) run at the "
                + "papers' full architecture size at every scale. Tolerances are data: `reports/src/main/resources/"
                + "references/columns.yaml`.");
        a.blank();
    }

    private void provenance(Adoc a) {
        a.line("== Provenance");
        a.blank();
        a.line("Every measurement carries the commit and machine that made it. The environments behind this report:");
        a.blank();
        Map<List<String>, List<Measurement>> envs = new java.util.LinkedHashMap<>();
        for (Measurement m : index.measurements()) {
            envs.computeIfAbsent(environment(m.provenance()), k -> new ArrayList<>()).add(m);
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<List<String>, List<Measurement>> e : envs.entrySet()) {
            TreeSet<String> times = e.getValue().stream()
                    .map(m -> m.provenance() == null ? "" : Objects.toString(m.provenance().timestamp(), ""))
                    .collect(Collectors.toCollection(TreeSet::new));
            List<String> row = new ArrayList<>(e.getKey());
            row.add(String.valueOf(e.getValue().size()));
            row.add(times.first() + " – " + times.last());
            rows.add(row.stream().map(Adoc::text).toList());
        }
        a.table("2,1,2,1,1,3,2,2,2,1,1,1,3", List.of("Commit", "Dirty", "JDK", "DJL", "libtorch", "OS", "CPU", "Device", "Allocator",
                "CPUs", "Threads", "Measurements", "Measured"), rows, "provenance");
        a.line("Seeds of the training runs, per table:");
        a.blank();
        Map<String, TreeSet<Long>> seeds = new TreeMap<>();
        for (Measurement m : index.measurements()) {
            if (m.seed() != null) {
                seeds.computeIfAbsent(m.table() + " (" + m.scale() + ")", k -> new TreeSet<>()).add(m.seed());
            }
        }
        if (seeds.isEmpty()) {
            a.line("No training runs are shown.");
        }
        seeds.forEach((t, s) -> a.line("* `" + t + "`: " + s.stream().map(String::valueOf).collect(Collectors.joining(", "))));
        a.blank();
    }

    /**
     * Commit, dirty flag, JDK, DJL, libtorch, OS, CPU, the device computed on (with the GPU's model, driver and CUDA),
     * memory allocator (unknown in records from before it was kept),
     * CPUs and threads: what makes two machines' numbers differ.
     */
    private static List<String> environment(Provenance p) {
        if (p == null) {
            return List.of("unknown", "", "", "", "", "", "", "", "", "", "");
        }
        String commit = p.gitCommit() == null ? "unknown" : p.gitCommit().substring(0, Math.min(12, p.gitCommit().length()));
        return List.of(commit, String.valueOf(p.gitDirty()), String.valueOf(p.jdk()), String.valueOf(p.djlVersion()),
                String.valueOf(p.libtorchVersion()), String.valueOf(p.os()), String.valueOf(p.cpuModel()),
                p.gpu() == null ? p.deviceName() : p.deviceName() + " (" + p.gpu() + ")",
                p.allocator() == null ? Provenance.UNKNOWN : p.allocator(), String.valueOf(p.cpus()),
                String.valueOf(p.threads()));
    }
}
