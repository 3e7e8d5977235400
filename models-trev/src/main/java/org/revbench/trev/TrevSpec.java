package org.revbench.trev;

import java.util.Arrays;
import java.util.Map;
import org.revbench.core.model.ModelOptions;

/**
 * A T-RevSNN configuration: the four stage widths, the depth-wise kernel, image or event input, whether the
 * intermediate heads exist, the blocks' {@code gamma} initial value, the loss, what the memory-saving pass keeps and
 * what fills the stages.
 * Registered models give defaults; {@link ModelOptions#extra()} overrides them:
 * <ul>
 *   <li>{@value #OPT_WIDTHS}: four comma-separated widths, e.g. {@code 64,128,256,384};</li>
 *   <li>{@value #OPT_KERNEL}: the depth-wise kernel (odd);</li>
 *   <li>{@value #OPT_HEADS}: {@code true} for the intermediate heads of the public code's static models
 *       ({@code inter_supv}), {@code false} for the last head only;</li>
 *   <li>{@value #OPT_GAMMA}: the blocks' {@code gamma} initial value ({@link TrevBlock});</li>
 *   <li>{@value #OPT_LOSS}: {@code last-step} (paper) or {@code weighted-steps} (public code), {@link TrevLoss};</li>
 *   <li>{@value #OPT_STATES}: {@code last-step} (paper) or {@code every-step} (public code's memory), {@link StateKeeping};</li>
 *   <li>{@value #OPT_BLOCK}: {@code convnext} (paper), {@code ms-resnet} or {@code s-revsnn} (Table 6), {@link StageBlocks};</li>
 *   <li>{@value #OPT_DEPTHS}: four comma-separated block counts per stage, for {@code ms-resnet} (default 3,4,6,3) and
 *       {@code s-revsnn} (default 1,2,3,2);</li>
 *   <li>{@value #OPT_SPATIAL_BACKWARD}: for {@code s-revsnn}, {@code reversible} (default: the couplings' own
 *       memory-saving backward nested in the temporal one) or {@code autograd} (the ablation: temporal reversibility alone).</li>
 * </ul>
 */
public record TrevSpec(int[] widths, int kernel, boolean events, boolean intermediateHeads, double gammaInit,
                       TrevLoss loss, StateKeeping states, StageBlocks blocks, boolean cifarStem) {

    public static final String OPT_WIDTHS = "widths";
    public static final String OPT_KERNEL = "kernel";
    public static final String OPT_HEADS = "intermediate_heads";
    public static final String OPT_GAMMA = "gamma_init";
    public static final String OPT_LOSS = "loss";
    public static final String OPT_STATES = "states";
    public static final String OPT_BLOCK = "block";
    public static final String OPT_DEPTHS = "depths";
    public static final String OPT_SPATIAL_BACKWARD = "spatial_backward";

    /** The public code's {@code layer_scale_init_value}. */
    public static final double CODE_GAMMA_INIT = 1.0;

    public TrevSpec {
        if (widths.length != StageStates.STAGES) {
            throw new IllegalArgumentException("T-RevSNN has 4 stages, got widths " + Arrays.toString(widths));
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("widths must be positive: " + Arrays.toString(widths));
            }
        }
        if (kernel < 1 || kernel % 2 != 1) {
            throw new IllegalArgumentException("the depth-wise kernel must be odd, got " + kernel);
        }
        widths = widths.clone();
        java.util.Objects.requireNonNull(blocks, "blocks");
    }

    /** With T-RevSNN's own encoding of the input ({@link TrevStem#image} or {@link TrevStem#events}). */
    public TrevSpec(int[] widths, int kernel, boolean events, boolean intermediateHeads, double gammaInit, TrevLoss loss,
                    StateKeeping states, StageBlocks blocks) {
        this(widths, kernel, events, intermediateHeads, gammaInit, loss, states, blocks, false);
    }

    /** With T-RevSNN's own ConvNeXt-style stages. */
    public TrevSpec(int[] widths, int kernel, boolean events, boolean intermediateHeads, double gammaInit, TrevLoss loss,
                    StateKeeping states) {
        this(widths, kernel, events, intermediateHeads, gammaInit, loss, states, StageBlocks.CONVNEXT);
    }

    /** A static-image model with the public code's intermediate heads, paper loss and paper memory. */
    public static TrevSpec image(int[] widths, int kernel) {
        return new TrevSpec(widths, kernel, false, true, CODE_GAMMA_INIT, TrevLoss.LAST_STEP, StateKeeping.LAST_STEP);
    }

    /**
     * A static-image model whose stages hold MS-ResNet's basic blocks ({@code depths} per stage) at MS-ResNet's
     * resolutions, otherwise as {@link #image} (T-RevSNN Table 6).
     */
    public static TrevSpec msResNet(int[] widths, int[] depths) {
        return new TrevSpec(widths, 3, false, true, CODE_GAMMA_INIT, TrevLoss.LAST_STEP, StateKeeping.LAST_STEP,
                StageBlocks.msResNet(depths));
    }

    /**
     * A static-image model whose stages hold S-RevSNN's spatially reversible couplings ({@code depths} per stage) at
     * MS-ResNet's resolutions, otherwise as {@link #image} (T-RevSNN Table 6).
     */
    public static TrevSpec sRevSnn(int[] widths, int[] depths) {
        return new TrevSpec(widths, 3, false, true, CODE_GAMMA_INIT, TrevLoss.LAST_STEP, StateKeeping.LAST_STEP,
                StageBlocks.sRevSnn(depths));
    }

    /**
     * This spec with a CIFAR-style stem ({@link TrevStem#cifar}: one conv 3x3 stride 1, no down-sampling), so that on
     * 32x32 images the stages run at the resolutions of a CIFAR MS-ResNet (32/16/8/4). Not a configuration of the paper:
     * the head-to-head study of memory-saving methods matches T-RevSNN's temporal reversibility with the CIFAR backbones
     * of the other methods with it.
     */
    public TrevSpec withCifarStem() {
        if (events) {
            throw new IllegalArgumentException("an event model has its own stem per step");
        }
        return new TrevSpec(widths, kernel, false, intermediateHeads, gammaInit, loss, states, blocks, true);
    }

    /** An event model: one stem per step, the last head only (the public code's {@code tiny_dvs}). */
    public static TrevSpec events(int[] widths, int kernel) {
        return new TrevSpec(widths, kernel, true, false, CODE_GAMMA_INIT, TrevLoss.LAST_STEP, StateKeeping.LAST_STEP);
    }

    @Override
    public int[] widths() { return widths.clone(); }

    /** This spec with the overrides in {@code options.extra()}. */
    public TrevSpec overriddenBy(ModelOptions options) {
        Map<String, String> e = options.extra();
        int[] w = widths;
        if (e.containsKey(OPT_WIDTHS)) {
            w = Arrays.stream(e.get(OPT_WIDTHS).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        }
        int k = e.containsKey(OPT_KERNEL) ? Integer.parseInt(e.get(OPT_KERNEL)) : kernel;
        boolean heads = e.containsKey(OPT_HEADS) ? parseBoolean(e.get(OPT_HEADS)) : intermediateHeads;
        double g = e.containsKey(OPT_GAMMA) ? Double.parseDouble(e.get(OPT_GAMMA)) : gammaInit;
        TrevLoss l = e.containsKey(OPT_LOSS) ? TrevLoss.parse(e.get(OPT_LOSS)) : loss;
        StateKeeping s = e.containsKey(OPT_STATES) ? StateKeeping.parse(e.get(OPT_STATES)) : states;
        StageBlocks b = blocks;
        if (e.containsKey(OPT_BLOCK) || e.containsKey(OPT_DEPTHS) || e.containsKey(OPT_SPATIAL_BACKWARD)) {
            StageBlocks.Kind kind = e.containsKey(OPT_BLOCK) ? StageBlocks.Kind.parse(e.get(OPT_BLOCK)) : blocks.kind();
            int[] depths = e.containsKey(OPT_DEPTHS)
                    ? Arrays.stream(e.get(OPT_DEPTHS).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray()
                    : kind == blocks.kind() ? blocks.depths() : kind.defaultDepths();
            boolean reversible = !e.containsKey(OPT_SPATIAL_BACKWARD) ? kind != blocks.kind() || blocks.reversibleBackward()
                    : switch (e.get(OPT_SPATIAL_BACKWARD)) {
                        case "reversible" -> true;
                        case "autograd" -> false;
                        default -> throw new IllegalArgumentException("option " + OPT_SPATIAL_BACKWARD
                                + " must be reversible or autograd, got '" + e.get(OPT_SPATIAL_BACKWARD) + "'");
                    };
            b = new StageBlocks(kind, depths, reversible);
        }
        return new TrevSpec(w, k, events, heads, g, l, s, b, cifarStem);
    }

    private static boolean parseBoolean(String s) {
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option " + OPT_HEADS + " must be true or false, got '" + s + "'");
        };
    }

    /**
     * The time steps that carry a head, in order; the last is {@code T-1} and predicts. Without intermediate heads,
     * only {@code T-1}. With them, the public code's schedule (four heads, one every {@code T/4} steps: steps
     * {@code k-1, 2k-1, 3k-1} and the last, {@code k = T/4}; T = 4 gives every step), generalised: for {@code T < 4}
     * every step carries one, and for T not a multiple of 4 the last head stays at {@code T-1} (the public code
     * supports neither).
     */
    public int[] headSteps(int timesteps) {
        if (!intermediateHeads) {
            return new int[] {timesteps - 1};
        }
        if (timesteps < 4) {
            int[] all = new int[timesteps];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int k = timesteps / 4;
        return new int[] {k - 1, 2 * k - 1, 3 * k - 1, timesteps - 1};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrevSpec s && Arrays.equals(widths, s.widths) && kernel == s.kernel && events == s.events
                && intermediateHeads == s.intermediateHeads && Double.compare(gammaInit, s.gammaInit) == 0 && loss == s.loss
                && states == s.states && blocks.equals(s.blocks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + java.util.Objects.hash(kernel, events, intermediateHeads, gammaInit, loss, states, blocks);
    }

    @Override
    public String toString() {
        return "TrevSpec[widths=" + Arrays.toString(widths) + ", kernel=" + kernel + ", " + (events ? "events" : "image")
                + ", intermediateHeads=" + intermediateHeads + ", gammaInit=" + gammaInit + ", loss=" + loss.option()
                + ", states=" + states.option() + ", blocks=" + blocks + "]";
    }
}
