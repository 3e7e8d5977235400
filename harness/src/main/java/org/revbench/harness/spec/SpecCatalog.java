package org.revbench.harness.spec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.revbench.core.paper.Paper;
import org.revbench.core.paper.PaperRegistry;

/**
 * Every experiment spec on the class path: each paper's module lists its specs in its {@link Paper} descriptor (found
 * through {@link PaperRegistry}), in the order its report page shows them; then the studies, specs that compare
 * models of several papers under one protocol and so belong to no paper's module. A study spec is listed, one class-path
 * resource per line, in a {@value #STUDY_INDEX} file (the harness's lists the studies it holds; any jar may add one),
 * and names its study with {@code study:} where a paper's names its paper.
 */
public final class SpecCatalog {

    /** The class-path index of study specs: one resource path per line; blank lines and {@code #} comments skipped. */
    public static final String STUDY_INDEX = "META-INF/revbench/studies";

    private final List<ExperimentSpec> specs;

    private SpecCatalog(List<ExperimentSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    /** Loads every paper's specs; {@code modelExists} checks row models (e.g. the registry's lookup). */
    public static SpecCatalog load(Predicate<String> modelExists) {
        return load(PaperRegistry.load(), modelExists);
    }

    /** Loads the specs of {@code papers}, then every study's; each spec must belong to the paper or study that lists it. */
    public static SpecCatalog load(PaperRegistry papers, Predicate<String> modelExists) {
        List<ExperimentSpec> out = new ArrayList<>();
        for (Paper paper : papers.all()) {
            for (String path : paper.specResources()) {
                ExperimentSpec spec = read(path, "paper " + paper.id() + " lists " + path, modelExists);
                if (spec.study() || !spec.owner().equals(paper.id())) {
                    throw new SpecException(path + ": it names " + (spec.study() ? "study " : "paper ") + spec.owner()
                            + ", but it is listed by paper " + paper.id());
                }
                out.add(spec);
            }
        }
        for (String path : studyResources()) {
            ExperimentSpec spec = read(path, STUDY_INDEX + " lists " + path, modelExists);
            if (!spec.study()) {
                throw new SpecException(path + ": listed as a study in " + STUDY_INDEX + ", but it names paper "
                        + spec.owner() + " (a paper's specs live in its module and are listed by its descriptor)");
            }
            if (papers.find(spec.owner()) != null) {
                throw new SpecException(path + ": study '" + spec.owner() + "' has the id of a paper");
            }
            if (out.stream().anyMatch(e -> e.id().equals(spec.id()))) {
                throw new SpecException(path + ": spec " + spec.id() + " is listed twice");
            }
            out.add(spec);
        }
        return new SpecCatalog(out);
    }

    private static ExperimentSpec read(String path, String listedBy, Predicate<String> modelExists) {
        try (InputStream in = SpecCatalog.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new SpecException(listedBy + ", which is not on the classpath (its module's src/main/resources/"
                        + path + ")");
            }
            return SpecLoader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), path, modelExists);
        } catch (IOException e) {
            throw new SpecException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The study specs every {@value #STUDY_INDEX} file on the class path lists, in the order listed. */
    static List<String> studyResources() {
        List<String> paths = new ArrayList<>();
        try {
            Enumeration<URL> indexes = SpecCatalog.class.getClassLoader().getResources(STUDY_INDEX);
            while (indexes.hasMoreElements()) {
                URL index = indexes.nextElement();
                try (InputStream in = index.openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                        String path = line.replaceFirst("#.*", "").strip();
                        if (!path.isEmpty() && !paths.contains(path)) {
                            paths.add(path);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new SpecException(STUDY_INDEX + ": cannot read: " + e.getMessage(), e);
        }
        return paths;
    }

    /** The spec resources of every paper, in order, then every study's. */
    public static List<String> paths() {
        List<String> paths = new ArrayList<>(PaperRegistry.load().all().stream().flatMap(p -> p.specResources().stream()).toList());
        paths.addAll(studyResources());
        return paths;
    }

    /** The studies' specs, in the order their indexes list them. */
    public List<ExperimentSpec> studies() { return specs.stream().filter(ExperimentSpec::study).toList(); }

    public List<ExperimentSpec> specs() { return specs; }

    /** The spec with id {@code paper:table}; the error lists the known ids. */
    public ExperimentSpec get(String id) {
        return specs.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new SpecException(
                "no spec '" + id + "' (known: " + specs.stream().map(ExperimentSpec::id).collect(Collectors.joining(", ")) + ")"));
    }
}
