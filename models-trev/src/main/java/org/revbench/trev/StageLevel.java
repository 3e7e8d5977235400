package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Module;

/**
 * One stage of one time step's sub-network: the function {@code L_l} of the turn-on transfer
 * {@code c_l[t] = L_l(c_{l-1}[t], c_{l+1}[t-1]) + a_l * c_l[t-1]} ({@link TurnOnTransfer}). It fuses the spatial input
 * from the stage below at the same step with the temporal input from the stage above at the previous step, then runs
 * the stage's blocks ({@link StageBlocks}: two {@link TrevBlock}s, the public code's {@code Level}: {@code Fusion} + two
 * blocks; or MS-ResNet's or S-RevSNN's for T-RevSNN Table 6).
 *
 * <p>Fusion (public code's {@code Fusion}): stage 0 takes the stem output as it is (no spike, no convolution); stages 1
 * and 2 a {@link Resampling#down} of the stage below; stage 3 a {@link Resampling#sameResolution} of stage 2. Plus,
 * except in the sub-network of the first time step (which has no previous step, and in the public code no such
 * layers at all), the previous step's next stage: {@link Resampling#up} into stages 0 and 1, and a
 * {@link Resampling#sameResolution} from stage 3 into stage 2 (one resolution; with MS-ResNet's resolutions stage 3 is
 * coarser, so its fusion is a {@link Resampling#down} and stage 2's is a {@link Resampling#up}). Stage 3 has none (T-RevSNN Eq. 10,
 * "we fuse the features of the next stage into the current stage", Sec. 5 ablation).
 */
public final class StageLevel extends Module {

    private final int level;
    private final Resampling down;
    private final Resampling up;
    /** A {@code Sequential} of blocks, or a memory-saving {@link Segment} (S-RevSNN's reversible stage). */
    private final Layer blocks;

    /**
     * @param spec the widths, kernel, {@code gamma} initial value and {@link StageBlocks}
     * @param withUp whether the previous step's next stage enters (false in the first time step)
     * @param sharedTail the stage's tail shared by every time step's second block (ConvNeXt-style stages; else null)
     */
    public StageLevel(int level, TrevSpec spec, boolean withUp, BlockTail sharedTail) {
        this.level = level;
        int[] widths = spec.widths();
        int c = widths[level];
        boolean coarse = spec.blocks().coarseLastStage();
        down = switch (level) {
            case 0 -> null;
            case 1, 2 -> addChild("down", Resampling.down(widths[level - 1], c));
            case 3 -> addChild("down", coarse ? Resampling.down(widths[2], c) : Resampling.sameResolution(widths[2], c));
            default -> throw new IllegalArgumentException("level " + level + " of 4");
        };
        up = !withUp || level == 3 ? null
                : addChild("up", level == 2 && !coarse ? Resampling.sameResolution(widths[3], c) : Resampling.up(widths[level + 1], c));
        blocks = addChild("blocks", spec.blocks().create(level, c, spec.kernel(), spec.gammaInit(), sharedTail));
    }

    /** Whether this level reads the previous step's next stage. */
    public boolean hasUp() { return up != null; }

    public int level() { return level; }

    /**
     * {@code L_l(lower, upperPrevious)}: {@code lower} is the stem output (level 0) or this step's state of the stage
     * below; {@code upperPrevious} the previous step's state of the stage above (ignored, may be null, without an up
     * path). Neither is closed.
     */
    public NDArray apply(NDArray lower, NDArray upperPrevious, ForwardContext ctx) {
        NDArray fused = fuse(lower, upperPrevious, ctx);
        // the fused input is ours: handed over, the blocks close it after their first (a stage-sized tensor less
        // while the stage runs; trevsnn-tiny at 224, batch 16: 52.220 against 52.985 MiB/img held to the end)
        return fused == lower ? blocks.forward(fused, ctx) : blocks.forwardConsuming(fused, ctx);
    }

    /**
     * {@code L_l} recomputed for the temporal reversible backward ({@link TimeStepSubnet#reverse}), from detached leaves
     * {@code lowLeaf} and {@code upLeaf} (null without an up path), in {@link ForwardContext.Mode#RECOMPUTE}. The fusion
     * and plain blocks are recorded as one graph; blocks that are a memory-saving segment (S-RevSNN's reversible stage)
     * train as they do anywhere, by the segment's own backward, which keeps one block's graph at a time. The trace's output
     * is {@code L_l}'s value; its {@code backward(output, gradient)} may overwrite both in place (a reversible stage
     * reconstructs its input there), accumulates the parameter gradients and leaves the input gradients on the leaves;
     * it returns null.
     */
    Segment.Trace recompute(NDArray lowLeaf, NDArray upLeaf, ForwardContext ctx) {
        if (!(blocks instanceof Segment segment)) {
            // one graph from the leaves through fusion and blocks, as apply records it: cut between the two (a leaf, as
            // for a segment below) the fused input's gradient is held whole, one stage-sized tensor more at the peak
            // (trevsnn-tiny at 224, batch 16: 52.985 against 52.220 MiB/img)
            NDArray out = Autograd.withRecording(true, () -> apply(lowLeaf, upLeaf, ctx));
            return new Segment.Trace() {
                @Override
                public NDArray output() { return out; }

                @Override
                public NDArray backward(NDArray root, NDArray rootGrad) {
                    Autograd.backward(root, rootGrad);
                    return null;
                }

                @Override
                public void close() { out.close(); }
            };
        }
        NDArray fused = Autograd.withRecording(true, () -> fuse(lowLeaf, upLeaf, ctx));
        Segment.Trace inner;
        try {
            inner = segment.forwardTrain(fused, true, ctx);
        } catch (RuntimeException e) {
            if (fused != lowLeaf) {
                fused.close();
            }
            throw e;
        }
        return new Segment.Trace() {
            @Override
            public NDArray output() { return inner.output(); }

            @Override
            public NDArray backward(NDArray root, NDArray rootGrad) {
                try (NDArray dFused = inner.backward(root, rootGrad)) {
                    Autograd.backward(fused, dFused); // through the fusion to the leaves (onto lowLeaf itself without one)
                }
                return null;
            }

            @Override
            public void close() {
                inner.close();
                if (fused != lowLeaf) {
                    fused.close();
                }
            }
        };
    }

    /** The fusion: the stage below (down-sampled) plus the previous step's stage above (up-sampled); {@code lower} itself without either. */
    private NDArray fuse(NDArray lower, NDArray upperPrevious, ForwardContext ctx) {
        NDArray fused = down == null ? lower : down.forward(lower, ctx);
        if (up != null) {
            if (upperPrevious == null) {
                throw new IllegalArgumentException("level " + level + " needs the previous step's stage " + (level + 1));
            }
            try (NDArray u = up.forward(upperPrevious, ctx)) {
                NDArray sum = fused.add(u);
                if (fused != lower) {
                    fused.close();
                }
                fused = sum;
            }
        }
        return fused;
    }
}
