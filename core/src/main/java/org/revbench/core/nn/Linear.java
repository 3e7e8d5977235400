package org.revbench.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Fully connected layer over the last axis, applied to every time step. PyTorch's default init. */
public final class Linear extends Layer {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int in, int out) {
        this.in = in;
        this.out = out;
        weight = addParameter(new Parameter("weight", new Shape(out, in), true, Initializer.uniformFanIn(in)));
        bias = addParameter(new Parameter("bias", new Shape(out), true, Initializer.uniformFanIn(in)));
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray y = ai.djl.nn.core.Linear.linear(x, weight.array(), bias.array()).singletonOrThrow();
        if (ctx.recorder() != null) {
            long frames = x.getShape().dimension() == 3 ? x.getShape().get(0) : 1;
            ctx.recorder().record(path(), "linear", new Shape(out), ownTrainableCount(), (long) in * out, frames,
                    ctx.recorder().activityOf(x));
        }
        return y;
    }
}
