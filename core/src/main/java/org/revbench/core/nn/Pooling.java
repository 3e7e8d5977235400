package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/** Parameter-free spatial pooling layers over {@code [N,C,H,W]} or {@code [T,B,C,H,W]}. */
public final class Pooling {

    private Pooling() {}

    /** Average pooling; {@code count_include_pad} true as in PyTorch's default. */
    public static Layer avg(int kernel, int stride, int padding) {
        return new Layer() {
            @Override
            public NDArray forward(NDArray x, ForwardContext ctx) {
                return TimeFolding.apply(x, 4, f -> Pool.avgPool2d(f, new Shape(kernel, kernel), new Shape(stride, stride),
                        new Shape(padding, padding), false, true));
            }
        };
    }

    public static Layer max(int kernel, int stride, int padding) {
        return new Layer() {
            @Override
            public NDArray forward(NDArray x, ForwardContext ctx) {
                return TimeFolding.apply(x, 4, f -> Pool.maxPool2d(f, new Shape(kernel, kernel), new Shape(stride, stride),
                        new Shape(padding, padding), false));
            }
        };
    }

    /** Global average pooling to {@code [T, B, C]}. */
    public static Layer globalAvg() {
        return new Layer() {
            @Override
            public NDArray forward(NDArray x, ForwardContext ctx) {
                return TimeFolding.apply(x, 4, Pool::globalAvgPool2d);
            }
        };
    }
}
