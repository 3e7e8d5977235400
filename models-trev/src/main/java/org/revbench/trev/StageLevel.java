package org.revbench.trev;

import ai.djl.ndarray.NDArray;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Sequential;

/**
 * One stage of one time step's sub-network: the function {@code L_l} of the turn-on transfer
 * {@code c_l[t] = L_l(c_{l-1}[t], c_{l+1}[t-1]) + a_l * c_l[t-1]} ({@link TurnOnTransfer}). It fuses the spatial input
 * from the stage below at the same step with the temporal input from the stage above at the previous step, then runs
 * the stage's blocks ({@link StageBlocks}: two {@link TrevBlock}s, the public code's {@code Level}: {@code Fusion} + two
 * blocks; or MS-ResNet's for seed 002 Table 6).
 *
 * <p>Fusion (public code's {@code Fusion}): stage 0 takes the stem output as it is (no spike, no convolution); stages 1
 * and 2 a {@link Resampling#down} of the stage below; stage 3 a {@link Resampling#sameResolution} of stage 2. Plus,
 * except in the sub-network of the first time step (which has no previous step, and in the public code no such
 * layers at all), the previous step's next stage: {@link Resampling#up} into stages 0 and 1, and a
 * {@link Resampling#sameResolution} from stage 3 into stage 2 (one resolution; with MS-ResNet's resolutions stage 3 is
 * coarser, so its fusion is a {@link Resampling#down} and stage 2's is a {@link Resampling#up}). Stage 3 has none (seed 002 Eq. 10,
 * "we fuse the features of the next stage into the current stage", Sec. 5 ablation).
 */
public final class StageLevel extends Layer {

    private final int level;
    private final Resampling down;
    private final Resampling up;
    private final Sequential blocks;

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
        Layer[] stage = spec.blocks().create(level, c, spec.kernel(), spec.gammaInit(), sharedTail);
        blocks = addChild("blocks", new Sequential());
        for (int b = 0; b < stage.length; b++) {
            blocks.add("block" + b, stage[b]);
        }
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
        if (fused == lower) {
            return blocks.forward(fused, ctx);
        }
        try (NDArray input = fused) {
            return blocks.forward(input, ctx);
        }
    }

    /** Not a single-input layer: use {@link #apply}. */
    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        throw new UnsupportedOperationException("a stage level takes two inputs: use apply(lower, upperPrevious, ctx)");
    }
}
