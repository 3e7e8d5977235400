package org.revbench.harness.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every experiment spec, listed in {@code specs/catalog.txt} on the classpath (the papers' modules add their
 * tables to that list as they land).
 */
public final class SpecCatalog {

    public static final String CATALOG = "specs/catalog.txt";

    private final List<ExperimentSpec> specs;

    private SpecCatalog(List<ExperimentSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    /** Loads every listed spec; {@code modelExists} checks row models (e.g. the registry's lookup). */
    public static SpecCatalog load(Predicate<String> modelExists) {
        List<ExperimentSpec> out = new ArrayList<>();
        for (String path : paths()) {
            try (InputStream in = SpecCatalog.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new SpecException(CATALOG + " lists " + path + ", which is not on the classpath");
                }
                out.add(SpecLoader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), path, modelExists));
            } catch (IOException e) {
                throw new SpecException(path + ": cannot read: " + e.getMessage(), e);
            }
        }
        return new SpecCatalog(out);
    }

    /** The spec paths the catalog lists, in order. */
    public static List<String> paths() {
        try (InputStream in = SpecCatalog.class.getClassLoader().getResourceAsStream(CATALOG)) {
            if (in == null) {
                throw new SpecException(CATALOG + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new SpecException(CATALOG + ": cannot read: " + e.getMessage(), e);
        }
    }

    public List<ExperimentSpec> specs() { return specs; }

    /** The spec with id {@code paper:table}; the error lists the known ids. */
    public ExperimentSpec get(String id) {
        return specs.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new SpecException(
                "no spec '" + id + "' (known: " + specs.stream().map(ExperimentSpec::id).collect(Collectors.joining(", ")) + ")"));
    }
}
