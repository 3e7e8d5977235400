package org.revbench.harness.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.revbench.core.paper.Paper;
import org.revbench.core.paper.PaperRegistry;

/**
 * Every experiment spec of every paper on the class path: each paper's module lists its specs in its
 * {@link Paper} descriptor (found through {@link PaperRegistry}), in the order its report page shows them.
 */
public final class SpecCatalog {

    private final List<ExperimentSpec> specs;

    private SpecCatalog(List<ExperimentSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    /** Loads every paper's specs; {@code modelExists} checks row models (e.g. the registry's lookup). */
    public static SpecCatalog load(Predicate<String> modelExists) {
        return load(PaperRegistry.load(), modelExists);
    }

    /** Loads the specs of {@code papers}; each spec must belong to the paper that lists it. */
    public static SpecCatalog load(PaperRegistry papers, Predicate<String> modelExists) {
        List<ExperimentSpec> out = new ArrayList<>();
        for (Paper paper : papers.all()) {
            for (String path : paper.specResources()) {
                try (InputStream in = SpecCatalog.class.getClassLoader().getResourceAsStream(path)) {
                    if (in == null) {
                        throw new SpecException("paper " + paper.id() + " lists " + path + ", which is not on the"
                                + " classpath (its module's src/main/resources/" + path + ")");
                    }
                    ExperimentSpec spec = SpecLoader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), path,
                            modelExists);
                    if (!spec.paper().equals(paper.id())) {
                        throw new SpecException(path + ": 'paper' is " + spec.paper() + ", but it is listed by paper "
                                + paper.id());
                    }
                    out.add(spec);
                } catch (IOException e) {
                    throw new SpecException(path + ": cannot read: " + e.getMessage(), e);
                }
            }
        }
        return new SpecCatalog(out);
    }

    /** The spec resources of every paper, in order. */
    public static List<String> paths() {
        return PaperRegistry.load().all().stream().flatMap(p -> p.specResources().stream()).toList();
    }

    public List<ExperimentSpec> specs() { return specs; }

    /** The spec with id {@code paper:table}; the error lists the known ids. */
    public ExperimentSpec get(String id) {
        return specs.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new SpecException(
                "no spec '" + id + "' (known: " + specs.stream().map(ExperimentSpec::id).collect(Collectors.joining(", ")) + ")"));
    }
}
