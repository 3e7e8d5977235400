package org.revbench.harness.yaml;

import java.io.Reader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * One mapping of a hand-validated YAML file while it is read (experiment specs, the gate's rules, paper
 * references): its keys, and failures as the reader's own exception {@code E} with a message that begins with
 * where the mapping is ({@code where}: the file, then the row or entry).
 *
 * <p>What the readers share lives here: parsing into plain maps and lists, the place at the head of each message,
 * unknown and missing keys. How a value is checked and worded stays with each reader (a subclass), since their
 * messages differ and are part of what they promise: a spec's string must be non-empty, a reference's may be any
 * scalar.
 */
public class YamlFields<E extends RuntimeException> {

    private final Map<String, Object> values;
    private final String where;
    private final Function<String, E> exception;

    /** {@code exception} makes the reader's exception from a whole message. */
    public YamlFields(Map<String, Object> values, String where, Function<String, E> exception) {
        this.values = values;
        this.where = where;
        this.exception = exception;
    }

    /**
     * The document in {@code text}, made of plain maps, lists and scalars only (SnakeYAML's SafeConstructor: no
     * classes are made from tags); a syntax error is {@code "<file>: not valid YAML: <SnakeYAML's message>"}.
     */
    public static <E extends RuntimeException> Object parse(String text, LoaderOptions options, String file,
            BiFunction<String, Throwable, E> exception) {
        return parse(yaml -> yaml.load(text), options, file, exception);
    }

    /** As {@link #parse(String, LoaderOptions, String, BiFunction)}; SnakeYAML's message names the stream 'reader'. */
    public static <E extends RuntimeException> Object parse(Reader text, LoaderOptions options, String file,
            BiFunction<String, Throwable, E> exception) {
        return parse(yaml -> yaml.load(text), options, file, exception);
    }

    private static <E extends RuntimeException> Object parse(Function<Yaml, Object> load, LoaderOptions options,
            String file, BiFunction<String, Throwable, E> exception) {
        try {
            return load.apply(new Yaml(new SafeConstructor(options)));
        } catch (YAMLException e) {
            throw exception.apply(file + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    public final String where() {
        return where;
    }

    public final Map<String, Object> values() {
        return values;
    }

    /** The value under {@code key}, null when absent. */
    public final Object get(String key) {
        return values.get(key);
    }

    /** Whether {@code key} has a value: an explicit {@code null} counts as absent. */
    public final boolean has(String key) {
        return values.get(key) != null;
    }

    /** {@code "<where>: <problem>"}. */
    public final E error(String problem) {
        return exception.apply(where + ": " + problem);
    }

    /** {@code "<where>: field '<field>' <problem>"}. */
    public final E error(String field, String problem) {
        return error("field '" + field + "' " + problem);
    }

    /** The value under {@code field}; {@code "<where>: missing field '<field>'"} when it has none. */
    public final Object require(String field) {
        if (!has(field)) {
            throw error("missing field '" + field + "'");
        }
        return values.get(field);
    }

    /**
     * Refuses the first key (in the file's order) that is not {@code known}: a typo must not quietly switch a
     * setting off. {@code problem} words it from the key and the known keys, sorted.
     */
    public final void allowOnly(Set<String> known, BiFunction<String, List<String>, String> problem) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw error(problem.apply(key, List.copyOf(new TreeSet<>(known))));
            }
        }
    }
}
