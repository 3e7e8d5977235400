package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;

/** {@code body(x) + shortcut(x)}, with an identity shortcut when none is given. */
public final class Residual extends Layer {

    private final Layer body;
    private final Layer shortcut;

    public Residual(Layer body, Layer shortcut) {
        this.body = addChild("body", body);
        this.shortcut = shortcut == null ? null : addChild("shortcut", shortcut);
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        try (NDArray b = body.forward(x, ctx)) {
            if (shortcut == null) {
                return b.add(x);
            }
            try (NDArray s = shortcut.forward(x, ctx)) {
                return b.add(s);
            }
        }
    }
}
