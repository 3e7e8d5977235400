package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A network building block with DJL's lifecycle: construct (declare parameters and children with their
 * shapes), {@link #initialize} (allocate and fill them from a seeded generator), {@link #forward}.
 *
 * <p>Memory discipline: {@code forward} returns a new tensor and closes every intermediate it created, but
 * never its input (the caller owns it). DJL frees a tensor only when its Java handle closes; libtorch keeps what
 * a recorded graph still needs through its own reference counts, so closing early is both safe and what makes
 * reversible training save memory (docs/architecture.md, Engine notes).
 *
 * <p>Activations travel as {@code [T, B, C, H, W]} (or {@code [T, B, F]}); layers without time dynamics fold
 * {@code T} into the batch, so normalisation statistics run over {@code T*B*H*W} as in SpikingJelly.
 */
public abstract class Layer implements AutoCloseable {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    private String path = "";

    /** Runs the layer. Must not close {@code x}. */
    public abstract NDArray forward(NDArray x, ForwardContext ctx);

    /**
     * {@link #forward} for a caller that hands {@code x} over: {@code x} is closed here, as soon as this layer no longer
     * needs it. This default closes it after the forward; a chain ({@link Sequential}, a reversible stage) closes it
     * once its first layer has run, so that the chain does not hold its input to the end (with recording off, one
     * input-sized tensor less at the peak). With recording on the graph keeps what it needs either way.
     */
    public NDArray forwardConsuming(NDArray x, ForwardContext ctx) {
        try (x) {
            return forward(x, ctx);
        }
    }

    protected final Parameter addParameter(Parameter p) {
        parameters.put(p.name(), p);
        return p;
    }

    protected final <L extends Layer> L addChild(String name, L child) {
        if (children.containsKey(name)) {
            throw new IllegalArgumentException("duplicate child " + name);
        }
        children.put(name, child);
        return child;
    }

    /** Allocates every parameter of this layer and its children, in declaration order, from {@code random}. */
    public final void initialize(NDManager manager, DataType dtype, Random random) {
        for (Parameter p : parameters.values()) {
            p.initialize(manager, dtype, random);
        }
        for (Layer c : children.values()) {
            c.initialize(manager, dtype, random);
        }
    }

    /** Sets dotted names for statistics and summaries; call once on the root. */
    public final void assignPaths(String prefix) {
        path = prefix;
        for (Map.Entry<String, Layer> e : children.entrySet()) {
            e.getValue().assignPaths(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey());
        }
    }

    public final String path() { return path; }

    /** Direct parameters (not children's). */
    protected final Map<String, Parameter> ownParameters() { return Collections.unmodifiableMap(parameters); }

    public final Map<String, Layer> children() { return Collections.unmodifiableMap(children); }

    /** Every parameter and buffer in this subtree, depth first, declaration order. */
    public final List<Parameter> allParameters() {
        List<Parameter> out = new ArrayList<>(parameters.values());
        for (Layer c : children.values()) {
            out.addAll(c.allParameters());
        }
        return out;
    }

    /** Every layer of this subtree (this one first, then depth first) that is a {@link SeedStream}, by path. */
    public final Map<String, SeedStream> seedStreams() {
        Map<String, SeedStream> out = new LinkedHashMap<>();
        if (this instanceof SeedStream s) {
            out.put(path.isEmpty() ? "(root)" : path, s);
        }
        for (Layer c : children.values()) {
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
        children.values().forEach(Layer::close);
    }
}
