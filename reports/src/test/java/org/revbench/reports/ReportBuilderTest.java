package org.revbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultsJson;

/**
 * The report built from the committed cpu-scale baseline: its pages, its self-containment, and that a real
 * browser (Debian's headless Chromium) loads it without errors.
 */
class ReportBuilderTest {

    /** Kept in target/ so a build leaves the rendered report and its screenshot to look at. */
    private static final Path OUT = Path.of("target/test-report");

    /** The index, one page per paper and one per study. */
    private static final List<String> PAGES = List.of("index.html", "pararevsnn.html", "revnode.html", "trevsnn.html",
            "memory-methods-head-to-head.html");

    @BeforeAll
    static void build() throws Exception {
        List<Measurement> ms = ResultsJson.read(Path.of("../baselines/cpu.json"));
        new ReportBuilder().build(ms, List.of("paper", "cpu"), OUT, "baselines/cpu.json", "by ReportBuilderTest");
    }

    @Test
    void theIndexAndEveryPaperPageAreWritten() throws Exception {
        String index = Files.readString(OUT.resolve("index.html"));
        assertTrue(index.contains("Headline claims"));
        assertTrue(index.contains("href=\"pararevsnn.html\""), "the index links the paper's page");
        String page = Files.readString(OUT.resolve("pararevsnn.html"));
        for (String heading : List.of("Table 2: Comparison", "Table 3: Comparison", "Table 5: Comparison", "Figure 3:",
                "Invertibility audit", "Discrepancies in the paper")) {
            assertTrue(page.contains(heading), heading);
        }
        // the ratio of the headline: 18.824 / 35.761 MiB per image, printed to three digits
        assertTrue(index.contains("0.526"), "RevSResNet21 / MS-ResNet18 memory ratio of the baseline");
        assertTrue(Files.exists(OUT.resolve("figure3-memory.svg")));
        String trev = Files.readString(OUT.resolve("trevsnn.html"));
        for (String heading : List.of("Table 2: Evaluation on ImageNet-1K", "Table 4: Ablation study with timestep T",
                "O(1) inference", "Table 3: Evaluation on CIFAR10-DVS", "Discrepancies in the paper")) {
            assertTrue(trev.contains(heading), heading);
        }
        assertTrue(index.contains("href=\"trevsnn.html\""), "the index links T-RevSNN's page");
        assertTrue(index.contains("Allocator"), "the provenance table names each environment's allocator");
        assertTrue(index.contains("<th class=\"tableblock halign-left valign-top\">Device</th>") || index.contains(">Device<"),
                "the provenance table names each environment's device");
        String pararev = Files.readString(OUT.resolve("pararevsnn.html"));
        assertTrue(pararev.contains("Cross-check: the baseline against plain PyTorch"), "the cross-check section");
        assertTrue(pararev.contains("libtorch 2.7.1") && pararev.contains("PyTorch 1.13"), "both frameworks' versions");
        // the study of memory-saving methods: linked from the index, a chart with its front per depth, sentences
        assertTrue(index.contains("href=\"memory-methods-head-to-head.html\""), "the index links the study");
        String study = Files.readString(OUT.resolve("memory-methods-head-to-head.html"));
        assertTrue(study.contains("Pareto front") && study.contains("Within half of Plain BPTT"), "the study's sentences");
        assertTrue(study.contains("Top-1 % cifar10-dvs (events simulated from fashion-mnist)"), "the event data's top-1 column");
        assertTrue(study.contains("Top-1 on fashion-mnist at depth 18, T 4: Plain BPTT"), "the top-1 sentence");
        assertTrue(Files.exists(OUT.resolve("memory-methods-head-to-head-pareto-18.svg")));
        assertTrue(Files.exists(OUT.resolve("memory-methods-head-to-head-pareto-34.svg")));
    }

    @Test
    void theHtmlFetchesNothingFromElsewhere() throws Exception {
        for (String name : PAGES) {
            // comments aside: Asciidoctor's stylesheet carries its web-font @import commented out
            String html = Files.readString(OUT.resolve(name)).replaceAll("(?s)/\\*.*?\\*/", "");
            Matcher remote = Pattern.compile("(?:src|href)\\s*=\\s*\"((?:https?:)?//[^\"]*)\"").matcher(html);
            assertFalse(remote.find(), () -> name + " links a remote resource: " + remote.group(1));
            assertFalse(html.contains("@import"), name + " imports a stylesheet");
            assertFalse(html.contains("<script src"), name + " loads a script");
            assertTrue(html.contains("<style>"), name + " embeds its stylesheet");
        }
    }

    @Test
    void chromiumLoadsEveryPageWithoutErrors() throws Exception {
        String chromium = findChromium();
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("no headless Chromium on the PATH: .ci/run installs Debian's `chromium`; in CI this test must run");
            }
            Assumptions.abort("no chromium on the PATH (apt-get install chromium); CI runs this test");
        }
        for (String name : PAGES) {
            Path page = OUT.resolve(name).toAbsolutePath();
            Path shot = OUT.resolve(name.replace(".html", ".png")).toAbsolutePath();
            // one load per page writes the screenshot and prints the DOM (a Chromium run is about 3-6 s of start-up
            // and waiting: two runs per page took 47 s of CI's time)
            Result r = run(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--enable-logging=stderr", "--v=0", "--window-size=1400,2200", "--screenshot=" + shot, "--dump-dom",
                    page.toUri().toString()));
            assertEquals(0, r.exit, () -> "chromium failed on " + name + ":\n" + r.err);
            assertTrue(Files.size(shot) > 10_000, "a screenshot of " + name);
            assertTrue(r.out.contains("</svg>") || name.equals("index.html"), name + ": the charts are in the DOM");
            assertTrue(r.out.contains("id=\"toc\""), name + ": the DOM is the rendered page");
            for (String line : r.err.split("\n")) {
                // console errors, failed loads and blocked requests; dbus and GPU chatter of a headless box are not the page's
                boolean pageError = line.contains("CONSOLE") && (line.contains("ERROR") || line.contains("Uncaught"))
                        || line.contains("Failed to load resource") || line.contains("net::ERR_");
                assertFalse(pageError, name + ": " + line);
            }
        }
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(List<String> cmd) throws Exception {
        Path err = Files.createTempFile("chromium", ".err");
        Path out = Files.createTempFile("chromium", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish in 120 s: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(err);
            Files.deleteIfExists(out);
        }
    }

    private static String findChromium() {
        String env = System.getenv("REVBENCH_CHROMIUM");
        if (env != null && new File(env).canExecute()) {
            return env;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        return null;
    }
}
