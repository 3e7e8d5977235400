package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs its children in order, closing each intermediate as soon as the next layer has consumed it. */
public final class Sequential extends Layer {

    /** The children again, typed: every child of a chain is a layer. */
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private int count;

    public Sequential add(Layer layer) {
        return add(Integer.toString(count), layer);
    }

    public Sequential add(String name, Layer layer) {
        layers.put(name, addChild(name, layer));
        count++;
        return this;
    }

    @Override
    public Map<String, Layer> children() { return Collections.unmodifiableMap(layers); }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray current = x;
        for (Layer layer : layers.values()) {
            NDArray next = layer.forward(current, ctx);
            if (current != x) {
                current.close();
            }
            current = next;
        }
        return current == x ? x.reshape(x.getShape()) : current; // a recorded view, never duplicate() (cuts the graph)
    }

    /** Closes {@code x} as soon as the first layer has read it (see {@link Layer#forwardConsuming}). */
    @Override
    public NDArray forwardConsuming(NDArray x, ForwardContext ctx) {
        NDArray current = x;
        for (Layer layer : layers.values()) {
            NDArray next = layer.forward(current, ctx);
            current.close();
            current = next;
        }
        return current; // x itself, handed back, when there are no layers
    }
}
