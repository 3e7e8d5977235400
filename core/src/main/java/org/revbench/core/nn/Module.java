package org.revbench.core.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A network building block's parameters and children, with DJL's lifecycle: construct (declare parameters and
 * children with their shapes), {@link #initialize} (allocate and fill them from a seeded generator), then run.
 *
 * <p>How it runs is not fixed here: a block with one input and one output is a {@link Layer}; a block with several
 * inputs or states declares its own calls instead of a single-array forward it could only refuse (T-RevSNN's stage
 * level {@code L_l(c_{l-1}[t], c_{l+1}[t-1])}, T-RevSNN Eq. 10; its turn-on transfer, forward and inverse, Eq. 9-11).
 * Every module of a tree is counted, initialised, named and closed alike. (Imported by name where used:
 * {@code java.lang.Module} has the same simple name.)
 */
public abstract class Module implements AutoCloseable {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private String path = "";

    protected final Parameter addParameter(Parameter p) {
        parameters.put(p.name(), p);
        return p;
    }

    protected final <M extends Module> M addChild(String name, M child) {
        if (children.containsKey(name)) {
            throw new IllegalArgumentException("duplicate child " + name);
        }
        children.put(name, child);
        return child;
    }

    /** Allocates every parameter of this module and its children, in declaration order, from {@code random}. */
    public final void initialize(NDManager manager, DataType dtype, Random random) {
        for (Parameter p : parameters.values()) {
            p.initialize(manager, dtype, random);
        }
        for (Module c : children.values()) {
            c.initialize(manager, dtype, random);
        }
    }

    /** Sets dotted names for statistics and summaries; call once on the root. */
    public final void assignPaths(String prefix) {
        path = prefix;
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().assignPaths(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey());
        }
    }

    public final String path() { return path; }

    /** Direct parameters (not children's). */
    protected final Map<String, Parameter> ownParameters() { return Collections.unmodifiableMap(parameters); }

    /** The direct children by name, in declaration order (a {@link Sequential}'s are all layers, and typed so). */
    public Map<String, ? extends Module> children() { return Collections.unmodifiableMap(children); }

    /** Every parameter and buffer in this subtree, depth first, declaration order. */
    public final List<Parameter> allParameters() {
        List<Parameter> out = new ArrayList<>(parameters.values());
        for (Module c : children.values()) {
            out.addAll(c.allParameters());
        }
        return out;
    }

    /** Every module of this subtree (this one first, then depth first) that is a {@link SeedStream}, by path. */
    public final Map<String, SeedStream> seedStreams() {
        Map<String, SeedStream> out = new LinkedHashMap<>();
        if (this instanceof SeedStream s) {
            out.put(path.isEmpty() ? "(root)" : path, s);
        }
        for (Module c : children.values()) {
            out.putAll(c.seedStreams());
        }
        return out;
    }

    /** Number of trainable scalars in this subtree. */
    public final long trainableCount() {
        return allParameters().stream().filter(Parameter::trainable).mapToLong(Parameter::size).sum();
    }

    protected final long ownTrainableCount() {
        return parameters.values().stream().filter(Parameter::trainable).mapToLong(Parameter::size).sum();
    }

    @Override
    public void close() {
        parameters.values().forEach(Parameter::close);
        children.values().forEach(Module::close);
    }
}
