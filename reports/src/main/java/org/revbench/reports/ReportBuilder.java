package org.revbench.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.revbench.core.paper.Paper;
import org.revbench.core.paper.PaperRegistry;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.SpecCatalog;
import org.revbench.reports.compare.ResultIndex;
import org.revbench.reports.page.IndexPage;
import org.revbench.reports.page.PaperPage;
import org.revbench.reports.page.StudyPage;
import org.revbench.reports.reference.PaperReference;
import org.revbench.reports.reference.ReferenceLoader;

/**
 * Builds the report from measurements: an index page and one page per paper that has specs and a reference
 * file, as AsciiDoc, SVG charts and self-contained HTML in one folder.
 */
public final class ReportBuilder {

    private final List<ExperimentSpec> specs;

    public ReportBuilder() {
        this(SpecCatalog.load(m -> true).specs());
    }

    public ReportBuilder(List<ExperimentSpec> specs) {
        this.specs = specs;
    }

    /**
     * Writes the report into {@code outDir} and returns the index's path.
     *
     * @param measurements what the store holds
     * @param scales       the scales to show, best first
     * @param source       where the measurements came from, printed on the index
     * @param generated    when and by which commit, printed on the index
     */
    public Path build(List<Measurement> measurements, List<String> scales, Path outDir, String source, String generated)
            throws IOException {
        Files.createDirectories(outDir);
        ResultIndex index = new ResultIndex(measurements, scales);
        List<Path> pages = new ArrayList<>();
        List<IndexPage.PaperSummary> summaries = new ArrayList<>();
        for (Paper paper : PaperRegistry.load().all()) {
            List<ExperimentSpec> own = specs.stream().filter(s -> s.owner().equals(paper.id())).toList();
            PaperReference ref = ReferenceLoader.resource(paper);
            PaperPage page = new PaperPage(ref, own, index);
            Path adoc = outDir.resolve(paper.id() + ".adoc");
            Files.writeString(adoc, page.adoc(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> chart : page.charts().entrySet()) {
                Files.writeString(outDir.resolve(chart.getKey()), chart.getValue(), StandardCharsets.UTF_8);
            }
            pages.add(adoc);
            summaries.add(new IndexPage.PaperSummary(paper, paper.id() + ".adoc", page.claims(), page.tally(), ref));
        }
        List<IndexPage.StudySummary> studies = new ArrayList<>();
        for (ExperimentSpec spec : specs.stream().filter(ExperimentSpec::study).toList()) {
            StudyPage page = new StudyPage(spec, index);
            Path adoc = outDir.resolve(page.name() + ".adoc");
            Files.writeString(adoc, page.adoc(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> chart : page.charts().entrySet()) {
                Files.writeString(outDir.resolve(chart.getKey()), chart.getValue(), StandardCharsets.UTF_8);
            }
            pages.add(adoc);
            // the index repeats, per depth, which method is fastest within half the baseline's memory
            List<String> highlights = page.study().depths().stream().map(page.study()::headline).toList();
            studies.add(new IndexPage.StudySummary(spec.title(), page.name() + ".adoc", highlights));
        }
        Path indexAdoc = outDir.resolve("index.adoc");
        Files.writeString(indexAdoc, new IndexPage(summaries, studies, index, source, generated).adoc(), StandardCharsets.UTF_8);
        pages.add(0, indexAdoc);
        try (HtmlRenderer renderer = new HtmlRenderer()) {
            return renderer.render(pages).get(0);
        }
    }
}
