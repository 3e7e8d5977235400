package org.revbench.harness.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.paper.Paper;
import org.revbench.core.paper.PaperRegistry;

class SpecLoaderTest {

    static final String BASE = """
            paper: p
            table: t1
            title: "T"
            defaults:
              dataset: cifar10
              classes: 10
              timesteps: 4
              optimizer: {name: sgd, lr: 0.1, momentum: 0.9, weight_decay: 1.0e-4}
              schedule: {name: step, milestones: [100, 150], gamma: 0.1}
              epochs: 200
              batch: 32
              seeds: [2020, 2023]
              columns: [params, memory, accuracy]
              latency: {batch: 8, forks: 1, warmup: 2, iterations: 3, seconds: 10}
            scales:
              cpu: {dataset: fashion-mnist, epochs: 1, train_limit: 512, schedule: {name: constant}}
              smoke: {dataset: synthetic, epochs: 1, batch: 8}
            rows:
              - {id: a, model: m1}
              - {id: b, model: m2, timesteps: 2, schedule: {milestones: [60]}, scales: {cpu: {epochs: 3}}}
            """;

    static ExperimentSpec read(String yaml) {
        return SpecLoader.read(yaml, "t.yaml", m -> !m.equals("missing"));
    }

    @Test
    void aRowThePaperQuotesFromAnotherPaperHasNoModelAndRunsAtNoScale() {
        ExperimentSpec s = read(BASE.replace("  - {id: a, model: m1}",
                "  - {id: a, model: m1}\n  - {id: q, quoted: \"Zhang & Zhang, AAAI 2024\", label: \"SEW\", scales: {cpu: {epochs: 2}}}"));
        SpecRow q = s.row("q").orElseThrow();
        assertTrue(q.quoted());
        assertNull(q.model());
        for (Scale scale : Scale.values()) {
            assertEquals("quoted by the paper from Zhang & Zhang, AAAI 2024; not built here (its network and training method,"
                    + " registered as a model, would run it)", q.at(scale).notRun(), scale.id());
        }
        SpecException both = assertThrows(SpecException.class, () -> read(BASE.replace("  - {id: a, model: m1}",
                "  - {id: a, model: m1, quoted: \"X\"}")));
        assertTrue(both.getMessage().contains("t.yaml, row a: a quoted row has no model"), both.getMessage());
    }

    /**
     * The paper's scale reduces nothing, but may name the device it runs on; a row may name another; the device is
     * part of the settings' hash (a GPU's numbers are not the CPU's), a bad one is refused with the file and the field.
     */
    @Test
    void thePaperScaleMayNameItsDeviceAndNothingElse() {
        ExperimentSpec s = read(BASE.replace("scales:\n", "scales:\n  paper: {device: cuda}\n")
                .replace("  - {id: a, model: m1}", "  - {id: a, model: m1, scales: {paper: {device: \"cuda:1\"}}}"));
        assertEquals("cuda:1", s.row("a").orElseThrow().at(Scale.PAPER).device());
        assertEquals("cuda", s.row("b").orElseThrow().at(Scale.PAPER).device());
        assertNull(s.row("b").orElseThrow().at(Scale.CPU).device());
        assertEquals(read(BASE).row("b").orElseThrow().at(Scale.CPU).hash("m2"), s.row("b").orElseThrow().at(Scale.CPU).hash("m2"));
        assertNotEquals(read(BASE).row("b").orElseThrow().at(Scale.PAPER).hash("m2"),
                s.row("b").orElseThrow().at(Scale.PAPER).hash("m2"));

        SpecException reduced = assertThrows(SpecException.class,
                () -> read(BASE.replace("scales:\n", "scales:\n  paper: {device: cuda, epochs: 1}\n")));
        assertTrue(reduced.getMessage().contains("t.yaml: 'scales.paper' may only name the device"), reduced.getMessage());
        SpecException bad = assertThrows(SpecException.class,
                () -> read(BASE.replace("scales:\n", "scales:\n  paper: {device: tpu}\n")));
        assertTrue(bad.getMessage().contains("device") && bad.getMessage().contains("unknown device 'tpu' (known: cpu,"
                + " cuda, cuda:N)"), bad.getMessage());
    }

    @Test
    void scalesMergeDefaultsRowScaleAndRowScaleInThatOrder() {
        ExperimentSpec s = read(BASE);
        assertEquals("p:t1", s.id());
        RowSettings a = s.row("a").orElseThrow().at(Scale.PAPER);
        assertEquals("cifar10", a.dataset());
        assertEquals(200, a.epochs());
        assertEquals(List.of(100L, 150L), a.schedule().milestones());
        assertEquals(32, a.memoryBatch());
        assertNull(a.trainLimit());
        RowSettings b = s.row("b").orElseThrow().at(Scale.PAPER);
        assertEquals(2, b.timesteps());
        assertEquals(List.of(60L), b.schedule().milestones(), "a nested mapping merges key by key");
        assertEquals("step", b.schedule().name());
        RowSettings bCpu = s.row("b").orElseThrow().at(Scale.CPU);
        assertEquals("fashion-mnist", bCpu.dataset());
        assertEquals(3, bCpu.epochs(), "the row's own scale override wins");
        assertEquals("constant", bCpu.schedule().name());
        assertEquals(512, bCpu.trainLimit());
        assertEquals(2, bCpu.timesteps(), "what the scale does not reduce stays the row's");
        RowSettings aSmoke = s.row("a").orElseThrow().at(Scale.SMOKE);
        assertEquals(8, aSmoke.batch());
        assertEquals(8, aSmoke.memoryBatch(), "the memory batch follows the batch unless set");
        assertEquals(List.of("static", "memory", "train"), a.protocols());
    }

    @Test
    void theHashChangesWithTheSettingsButNotWithProse() {
        ExperimentSpec s = read(BASE);
        RowSettings a = s.row("a").orElseThrow().at(Scale.CPU);
        assertEquals(a.hash("m1"), read(BASE.replace("cpu: {", "cpu: {note: \"words\", ")).row("a").orElseThrow()
                .at(Scale.CPU).hash("m1"));
        assertNotEquals(a.hash("m1"), read(BASE.replace("train_limit: 512", "train_limit: 256")).row("a").orElseThrow()
                .at(Scale.CPU).hash("m1"));
        assertNotEquals(a.hash("m1"), a.hash("m2"));
    }

    static void assertBad(String yaml, String... fragments) {
        SpecException e = assertThrows(SpecException.class, () -> read(yaml));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    /** Rows may share settings through one anchor (up to {@link SpecLoader#MAX_ALIASES} uses); an alias bomb is refused. */
    @Test
    void rowsShareSettingsThroughAnchorsWithinABound() {
        StringBuilder rows = new StringBuilder("  - {id: r0, model: m1, scales: &shared {cpu: {not_run: \"later\"}}}\n");
        for (int i = 1; i < 100; i++) {
            rows.append("  - {id: r").append(i).append(", model: m1, scales: *shared}\n");
        }
        String yaml = BASE.substring(0, BASE.indexOf("rows:\n") + 6) + rows;
        ExperimentSpec s = read(yaml);
        assertEquals(100, s.rows().size());
        assertEquals("later", s.row("r99").orElseThrow().at(Scale.CPU).notRun());
        assertNull(s.row("r99").orElseThrow().at(Scale.PAPER).notRun());
        for (int i = 100; i <= SpecLoader.MAX_ALIASES + 1; i++) {
            rows.append("  - {id: r").append(i).append(", model: m1, scales: *shared}\n");
        }
        assertBad(BASE.substring(0, BASE.indexOf("rows:\n") + 6) + rows, "t.yaml", "not valid YAML", "aliases");
    }

    @Test
    void badSpecsNameTheFileRowScaleAndField() {
        assertBad(BASE.replace("{id: a, model: m1}", "{id: a, model: missing}"), "t.yaml", "row a", "unknown model 'missing'");
        assertBad(BASE.replace("epochs: 200", "epochs: -3"), "t.yaml", "row a", "scale paper", "'epochs'", "positive integer");
        assertBad(BASE.replace("{id: b,", "{id: a,"), "t.yaml", "row a", "duplicate row id");
        assertBad(BASE.replace("columns: [params, memory, accuracy]", "columns: [params, speed]"), "'columns'", "unknown column 'speed'");
        assertBad(BASE.replace("name: sgd", "name: rmsprop"), "optimizer", "'name'", "rmsprop");
        assertBad(BASE.replace("{id: a, model: m1}", "{id: a, model: m1, epoch: 3}"), "row a", "unknown field 'epoch'");
        assertBad(BASE.replace("smoke: {", "gpu: {"), "t.yaml", "cpu and smoke only", "'gpu'");
        assertBad(BASE.replace("train_limit: 512", "train_limit: many"), "row a", "scale cpu", "'train_limit'", "'many'");
        assertBad(BASE.replace("seeds: [2020, 2023]", "seeds: []"), "'seeds'", "non-empty");
        assertBad(BASE + "  - {id: c\n", "t.yaml", "not valid YAML");
        assertBad("just text", "t.yaml", "a spec is a mapping");
        assertBad(BASE.replace("epochs: 200", "epochs: 200\n  target_top1: 150"), "'target_top1'", "percentage");
        assertBad(BASE.replace("  schedule: {name: step, milestones: [100, 150], gamma: 0.1}\n", ""), "missing field 'schedule'");
        String mixup = "epochs: 200\n  mixup: {alpha: 0.5, prob: 0.5, off_after_epoch: 75}";
        assertEquals(new RowSettings.Mixup(0.5, 0.5, 75), read(BASE.replace("epochs: 200", mixup)).row("a").orElseThrow()
                .at(Scale.PAPER).mixup());
        assertBad(BASE.replace("epochs: 200", mixup.replace("alpha: 0.5", "alpha: 0")), "t.yaml", "row a", "mixup",
                "'alpha'", "positive");
        assertBad(BASE.replace("epochs: 200", mixup.replace("prob: 0.5", "prob: 1.5")), "t.yaml", "row a", "mixup",
                "'prob'", "[0, 1]");
        assertBad(BASE.replace("epochs: 200", mixup.replace("75", "-1")), "row a", "mixup", "'off_after_epoch'",
                "positive integer");
        assertBad(BASE.replace("epochs: 200", mixup.replace("prob: 0.5", "p: 0.5")), "row a", "mixup", "unknown field 'p'");
        assertBad(BASE.replace("epochs: 200", mixup).replace("classes: 10", "classes: 1"), "row a", "'mixup'", "2 classes");
    }

    /** {@code event_input} feeds a model the frames of an event dataset; it needs one, and is a boolean. */
    @Test
    void eventInputNeedsAnEventDataset() {
        String events = BASE.replace("{id: a, model: m1}", "{id: a, model: m1, dataset: cifar10-dvs, event_input: true,"
                + " scales: {cpu: {dataset: cifar10-dvs}}}");
        ExperimentSpec s = read(events);
        assertTrue(s.row("a").orElseThrow().at(Scale.PAPER).eventInput());
        assertTrue(s.row("a").orElseThrow().at(Scale.SMOKE).eventInput()); // synthetic data comes as the model takes it
        assertFalse(s.row("b").orElseThrow().at(Scale.PAPER).eventInput());
        assertNotEquals(read(BASE).row("a").orElseThrow().at(Scale.PAPER).hash("m1"),
                s.row("a").orElseThrow().at(Scale.PAPER).hash("m1"));
        assertBad(events.replace("event_input: true", "event_input: yes please"), "t.yaml", "row a", "'event_input'",
                "true or false");
        assertBad(events.replace("scales: {cpu: {dataset: cifar10-dvs}}", "scales: {}"), "t.yaml", "row a", "scale cpu",
                "'event_input'", "fashion-mnist holds no events");
    }

    @Test
    void trajectorySettingsHaveDefaultsAndAreChecked() {
        RowSettings a = read(BASE).row("a").orElseThrow().at(Scale.PAPER);
        assertNull(a.trajectorySteps());
        assertEquals(10, a.trajectoryEvery());
        assertEquals(List.of("float64", "float32"), a.trajectoryDtypes());
        assertEquals(1e-6, a.trajectoryLossThreshold());
        assertTrue(a.trajectoryControl());
        String t = BASE.replace("epochs: 200", "epochs: 200\n  trajectory_steps: 300\n  trajectory_every: 5\n"
                + "  trajectory_dtypes: [float32]\n  trajectory_loss_threshold: 1.0e-4")
                .replace("columns: [params, memory, accuracy]", "columns: [trajectory]");
        RowSettings b = read(t).row("a").orElseThrow().at(Scale.PAPER);
        assertEquals(300, b.trajectorySteps());
        assertEquals(5, b.trajectoryEvery());
        assertEquals(List.of("float32"), b.trajectoryDtypes());
        assertEquals(1e-4, b.trajectoryLossThreshold());
        assertEquals(List.of("trajectory"), b.protocols());
        assertBad(t.replace("[float32]", "[float16]"), "row a", "'trajectory_dtypes'", "float16");
        assertBad(t.replace("[float32]", "[float32, float32]"), "row a", "'trajectory_dtypes'", "each once");
        assertBad(t.replace("trajectory_steps: 300", "trajectory_steps: 0"), "row a", "'trajectory_steps'", "positive integer");
        assertBad(t.replace("1.0e-4", "0"), "row a", "'trajectory_loss_threshold'", "positive");
        String threshold = "trajectory_loss_threshold: 1.0e-4";
        assertFalse(read(t.replace(threshold, threshold + "\n  trajectory_control: false")).row("a").orElseThrow()
                .at(Scale.PAPER).trajectoryControl());
        assertBad(t.replace(threshold, threshold + "\n  trajectory_control: 3"), "row a", "'trajectory_control'",
                "true or false");
    }

    @Test
    void everyCatalogedSpecLoadsAgainstTheModelRegistry() {
        ModelRegistry registry = ModelRegistry.load();
        SpecCatalog c = SpecCatalog.load(id -> registry.ids().contains(id));
        assertEquals(Set.of("pararevsnn:table2", "pararevsnn:table3", "pararevsnn:table5", "pararevsnn:figure3", "pararevsnn:crosscheck",
                "pararevsnn:invertibility", "revnode:figure1", "revnode:table1", "revnode:figure4", "revnode:figure5", "revnode:figure6",
                "revnode:invertibility", "revnode:inverse-study", "trevsnn:figure2", "trevsnn:table2", "trevsnn:table3", "trevsnn:table4", "trevsnn:table5", "trevsnn:table6", "trevsnn:training-split", "trevsnn:inference",
                "pararevsnn:trajectory", "revnode:trajectory", "trevsnn:trajectory", "memory-methods:head-to-head"), c.specs().stream().map(ExperimentSpec::id).collect(Collectors.toSet()));
        ExperimentSpec t2 = c.get("pararevsnn:table2");
        // 13 built rows and the 10 the paper quotes from other papers (5 methods, CIFAR10 and CIFAR100)
        assertEquals(23, t2.rows().size());
        assertTrue(t2.row("cifar10-ottt").orElseThrow().quoted());
        assertEquals(6, t2.row("cifar10-ottt").orElseThrow().at(Scale.PAPER).timesteps());
        assertTrue(t2.row("cifar10-ottt").orElseThrow().at(Scale.PAPER).notRun().startsWith("quoted by the paper from Xiao et al."));
        // the fusion ablation (ours) times the step and inference, and trains at no scale
        assertTrue(t2.row("cifar10-pararevsnn37-unfused").orElseThrow().at(Scale.CPU).wants("latency"));
        assertFalse(t2.row("cifar10-pararevsnn37-unfused").orElseThrow().at(Scale.CPU).wants("memory"));
        assertFalse(t2.row("cifar10-pararevsnn37-unfused").orElseThrow().at(Scale.PAPER).wants("train"));
        assertEquals("needs the real CIFAR-100 files: no offline stand-in has 100 classes",
                t2.row("cifar100-revsresnet37").orElseThrow().at(Scale.CPU).notRun());
        assertNull(t2.row("cifar100-revsresnet37").orElseThrow().at(Scale.PAPER).notRun());
        assertEquals(12, c.get("pararevsnn:figure3").rows().size());
        ExperimentSpec t3 = c.get("pararevsnn:table3");
        assertEquals(22, t3.rows().size()); // 12 built, 10 quoted (5 methods on two datasets)
        assertEquals(16, t3.row("gesture-t16-pararevsnn24").orElseThrow().at(Scale.PAPER).timesteps());
        assertNotNull(t3.row("gesture-t16-pararevsnn24").orElseThrow().at(Scale.CPU).notRun());
        assertThrows(SpecException.class, () -> c.get("pararevsnn:table9"));
        ExperimentSpec f4 = c.get("revnode:figure4");
        assertEquals("vgg19-identity", f4.row("vgg19-revnode-t20").orElseThrow().at(Scale.PAPER).memoryReference());
        assertEquals(20, f4.row("vgg19-revnode-t20").orElseThrow().at(Scale.PAPER).timesteps());
        assertEquals(0, f4.row("vgg19-lif-t10").orElseThrow().at(Scale.CPU).memoryWarmup());
        assertTrue(f4.row("vgg19-lif-t10").orElseThrow().at(Scale.CPU).wants("memory"));
        assertFalse(f4.row("vgg11-lif-t10").orElseThrow().at(Scale.CPU).wants("memory"));
        // the rows the cpu grid does not measure say so (87 rows share that setting through one YAML anchor)
        assertNotNull(f4.row("vgg11-lif-t10").orElseThrow().at(Scale.CPU).notRun());
        assertNull(f4.row("vgg11-lif-t10").orElseThrow().at(Scale.PAPER).notRun());
        assertNull(f4.row("vgg19-lif-t10").orElseThrow().at(Scale.CPU).notRun());
        // T-RevSNN Table 3's CIFAR10-DVS row trains at cpu scale on every stand-in recording (no train_limit)
        RowSettings dvs = c.get("trevsnn:table3").row("cifar10dvs-t10").orElseThrow().at(Scale.CPU);
        assertTrue(dvs.wants("train"));
        assertNull(dvs.trainLimit());
        // T-RevSNN Table 5: the variants without the scaled residual or the multi-level fusion are not built
        ExperimentSpec t5 = c.get("trevsnn:table5");
        assertNull(t5.row("scaled-residual").orElseThrow().at(Scale.PAPER).notRun());
        assertNotNull(t5.row("plain-residual").orElseThrow().at(Scale.PAPER).notRun());
        assertNotNull(t5.row("single-level").orElseThrow().at(Scale.CPU).notRun());
        assertEquals(100, t5.row("scaled-residual").orElseThrow().at(Scale.PAPER).epochs());
        // Figure 2 has no protocol here: not run at any scale
        assertNotNull(c.get("trevsnn:figure2").row("case1").orElseThrow().at(Scale.PAPER).notRun());
        ExperimentSpec t6 = c.get("trevsnn:table6");
        // Sec. 5.2: the ablations train for 100 epochs
        assertEquals(100, t6.row("ms-resnet34-trev").orElseThrow().at(Scale.PAPER).epochs());
        assertEquals(5, t6.rows().size());
        assertNull(t6.row("ms-resnet34-trev").orElseThrow().at(Scale.CPU).notRun());
        assertNull(t6.row("s-revsnn37-trev").orElseThrow().at(Scale.CPU).notRun());
        assertEquals("revsresnet37-imagenet", t6.row("s-revsnn37").orElseThrow().model());
        // the ablation row measures memory only at cpu scale
        assertTrue(t6.row("s-revsnn37-trev-temporal-only").orElseThrow().at(Scale.CPU).wants("memory"));
        assertFalse(t6.row("s-revsnn37-trev-temporal-only").orElseThrow().at(Scale.CPU).wants("latency"));
        assertEquals(36, c.get("revnode:figure5").rows().size());
        // the RevSNN rows, the plain-LIF row, the rows the paper quotes and the RevND rows (which need ND: not run)
        ExperimentSpec t1 = c.get("revnode:table1");
        assertEquals(21, t1.rows().size());
        assertTrue(t1.row("cifar10-ide-lif").orElseThrow().quoted());
        for (Scale scale : Scale.values()) {
            assertNotNull(t1.row("tiny-vgg16-revnd").orElseThrow().at(scale).notRun(), scale.id());
        }
        assertEquals(4, c.get("revnode:figure1").rows().size());
    }

    @Test
    void thePapersListEverySpecFileInTheirModules() throws IOException {
        Set<String> onDisk = new java.util.HashSet<>();
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("models-")).toList()) {
                Path root = module.resolve("src/main/resources");
                if (!Files.isDirectory(root.resolve("specs"))) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(root.resolve("specs"))) {
                    files.filter(p -> p.toString().endsWith(".yaml"))
                            .forEach(p -> onDisk.add(root.relativize(p).toString().replace('\\', '/')));
                }
            }
        }
        // the studies, which compare models of several papers, are the harness's and are listed in its study index
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/studies"))) {
            files.filter(p -> p.toString().endsWith(".yaml"))
                    .forEach(p -> onDisk.add(Path.of("src/main/resources").relativize(p).toString().replace('\\', '/')));
        }
        assertEquals(onDisk, Set.copyOf(SpecCatalog.paths()));
        // and no paper's spec is left in the harness, which names no paper
        assertFalse(Files.exists(Path.of("src/main/resources/specs")), "the harness holds specs");
    }

    @Test
    void aSpecNamesEitherItsPaperOrItsStudy() {
        String rest = BASE.replace("paper: p\n", "");
        ExperimentSpec study = SpecLoader.read("study: memory-methods\n" + rest, "s.yaml", m -> true);
        assertTrue(study.study());
        assertEquals("memory-methods:t1", study.id());
        assertFalse(SpecLoader.read("paper: demo\n" + rest, "p.yaml", m -> true).study());
        SpecException both = assertThrows(SpecException.class,
                () -> SpecLoader.read("paper: demo\nstudy: s\n" + rest, "b.yaml", m -> true));
        assertEquals("b.yaml: a spec names either the 'paper' whose table it reproduces or the 'study' it belongs to,"
                + " exactly one of them", both.getMessage());
        assertThrows(SpecException.class, () -> SpecLoader.read(rest, "n.yaml", m -> true));
    }

    @Test
    void theStudiesComeAfterThePapersAndNameOnlyRegisteredModels() {
        ModelRegistry registry = ModelRegistry.load();
        SpecCatalog c = SpecCatalog.load(id -> registry.ids().contains(id));
        List<ExperimentSpec> studies = c.studies();
        assertFalse(studies.isEmpty());
        List<ExperimentSpec> all = c.specs();
        assertEquals(studies, all.subList(all.size() - studies.size(), all.size()));
        for (ExperimentSpec s : studies) {
            assertTrue(PaperRegistry.load().find(s.owner()) == null, s.id() + " is named like a paper");
        }
    }

    @Test
    void aPaperListingASpecItsModuleDoesNotShipIsOneClearError() {
        PaperRegistry papers = PaperRegistry.of(List.of(
                new Paper("trevsnn", "T-RevSNN", "t", List.of("table2", "table99"))));
        SpecException e = assertThrows(SpecException.class, () -> SpecCatalog.load(papers, m -> true));
        assertEquals("paper trevsnn lists specs/trevsnn/table99.yaml, which is not on the classpath (its module's"
                + " src/main/resources/specs/trevsnn/table99.yaml)", e.getMessage());
        PaperRegistry wrong = PaperRegistry.of(List.of(
                new Paper("demo", "Demo", "t", List.of("x"))));
        assertThrows(SpecException.class, () -> SpecCatalog.load(wrong, m -> true));
    }
}
