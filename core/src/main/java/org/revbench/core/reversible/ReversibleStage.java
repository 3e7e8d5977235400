package org.revbench.core.reversible;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.revbench.core.engine.Autograd;
import org.revbench.core.model.AutogradSegment;
import org.revbench.core.model.Segment;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.SeedStream;

/**
 * A stack of reversible blocks trained without storing their activations.
 *
 * <p>Training forward runs every block with recording off and keeps only the stage output. Backward walks the
 * blocks in reverse: each {@link Coupling#backward} reconstructs its input from its output, recomputes its
 * functions (neuron state starts from zero in every call; batch normalisation uses the batch statistics of the
 * reconstruction without touching running statistics), back-propagates and accumulates parameter gradients.
 * Each block runs with its own seed in the context, the same in forward and recompute, so a block with random
 * operations (dropout) recomputes exactly what it computed (see {@link Coupling#call}). The seeds come from a
 * stream seeded at construction, one draw per block per training forward; its position is training state
 * ({@link SeedStream}) that checkpoints keep, so a resumed run draws the seeds of an uninterrupted one.
 *
 * <p>With {@link #setMemorySaving(boolean) memory saving off} the same blocks train by plain autograd: the
 * reference the memory-saving backward is tested and measured against.
 */
public final class ReversibleStage extends Segment implements Invertible, SeedStream {

    private final List<Coupling> blocks = new ArrayList<>();
    private final long seed;
    private SplittableRandom seeds;
    private long forwards;
    private boolean memorySaving = true;

    public ReversibleStage(List<? extends Coupling> blocks, long seed) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a reversible stage needs at least one block");
        }
        for (int i = 0; i < blocks.size(); i++) {
            this.blocks.add(addChild(Integer.toString(i), blocks.get(i)));
        }
        this.seed = seed;
        this.seeds = new SplittableRandom(seed);
    }

    @Override
    public long position() { return forwards; }

    @Override
    public void seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("seed stream position " + position);
        }
        seeds = new SplittableRandom(seed);
        for (long i = 0; i < position * blocks.size(); i++) {
            seeds.nextLong();
        }
        forwards = position;
    }

    @Override
    public void setMemorySaving(boolean on) { memorySaving = on; }

    public boolean memorySaving() { return memorySaving; }

    public List<Coupling> blocks() { return List.copyOf(blocks); }

    @Override
    public int blockCount() { return blocks.size(); }

    @Override
    public NDArray forward(NDArray x, ForwardContext ctx) {
        return runBlocks(x, ctx, null, false);
    }

    /** Closes {@code x} as soon as the first block has read it (see {@link org.revbench.core.nn.Layer#forwardConsuming}). */
    @Override
    public NDArray forwardConsuming(NDArray x, ForwardContext ctx) {
        return runBlocks(x, ctx, null, true);
    }

    /** Reconstructs the stage input from its output, block by block (the invertibility audit). */
    @Override
    public NDArray inverse(NDArray y, ForwardContext ctx) {
        NDArray current = y;
        for (int i = blocks.size() - 1; i >= 0; i--) {
            NDArray prev = blocks.get(i).inverse(current, ctx);
            if (current != y) {
                current.close();
            }
            current = prev;
        }
        return current;
    }

    private NDArray runBlocks(NDArray x, ForwardContext ctx, long[] blockSeeds, boolean consume) {
        NDArray current = x;
        for (int i = 0; i < blocks.size(); i++) {
            NDArray next = blocks.get(i).forward(current, blockSeeds == null ? ctx : ctx.withSeed(blockSeeds[i]));
            if (current != x || consume) {
                current.close();
            }
            current = next;
        }
        return current;
    }

    @Override
    public Trace forwardTrain(NDArray input, boolean inputNeedsGradient, ForwardContext ctx) {
        long[] blockSeeds = new long[blocks.size()];
        for (int i = 0; i < blockSeeds.length; i++) {
            blockSeeds[i] = seeds.nextLong();
        }
        forwards++;
        if (!memorySaving) {
            return AutogradSegment.record(input, inputNeedsGradient, leaf -> runBlocks(leaf, ctx, blockSeeds, false));
        }
        NDArray out = Autograd.withRecording(false, () -> runBlocks(input, ctx, blockSeeds, false));
        ForwardContext recompute = ctx.withMode(ForwardContext.Mode.RECOMPUTE);
        // in place: y and dy (the stage output and its gradient, both dead once the stage input is reconstructed)
        // become each block's input and input gradient in turn, and in the end the stage's
        return new ReversibleTrace(out, inputNeedsGradient, (y, dy) -> {
            for (int i = blocks.size() - 1; i >= 0; i--) {
                blocks.get(i).backwardInPlace(y, dy, recompute.withSeed(blockSeeds[i]));
            }
            return dy;
        });
    }
}
