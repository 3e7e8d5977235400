package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.nn.ForwardContext;

/** One row of static statistics for a convolution, as core's {@link org.revbench.core.nn.Conv2d} records it. */
final class ConvStatistics {

    private ConvStatistics() {}

    /** Records a convolution of {@code x} into {@code y} (4-D, one time step) when the context collects statistics. */
    static void record(ForwardContext ctx, String path, String kind, NDArray x, NDArray y, long inPerGroup, int kernel,
                       long params) {
        if (ctx.recorder() == null) {
            return;
        }
        Shape s = y.getShape();
        Shape frame = s.slice(s.dimension() - 3);
        long macs = frame.size() * inPerGroup * kernel * kernel;
        long frames = s.dimension() == 5 ? s.get(0) : 1;
        ctx.recorder().record(path, kind, frame, params, macs, frames, ctx.recorder().activityOf(x));
    }
}
