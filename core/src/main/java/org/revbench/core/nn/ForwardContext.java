package org.revbench.core.nn;

/**
 * What a forward pass needs to know besides its input: the mode, the number of time steps, and an optional
 * recorder of static statistics. Layers never ask which model or protocol runs them.
 */
public final class ForwardContext {

    /** How normalisation layers behave. */
    public enum Mode {
        /** Batch statistics, running statistics updated once. */
        TRAIN,
        /** Running statistics. */
        EVAL,
        /**
         * A reversible backward re-running a block: batch statistics as in TRAIN (so the recomputed function
         * equals the forward one), but the running statistics are left alone so they update once per step.
         */
        RECOMPUTE
    }

    private final Mode mode;
    private final int timesteps;
    private final StatisticsRecorder recorder;
    private final Long seed;

    public ForwardContext(Mode mode, int timesteps, StatisticsRecorder recorder) {
        this(mode, timesteps, recorder, null);
    }

    private ForwardContext(Mode mode, int timesteps, StatisticsRecorder recorder, Long seed) {
        if (timesteps < 1) {
            throw new IllegalArgumentException("timesteps must be >= 1, got " + timesteps);
        }
        this.mode = mode;
        this.timesteps = timesteps;
        this.recorder = recorder;
        this.seed = seed;
    }

    public static ForwardContext train(int timesteps) { return new ForwardContext(Mode.TRAIN, timesteps, null); }

    public static ForwardContext eval(int timesteps) { return new ForwardContext(Mode.EVAL, timesteps, null); }

    public ForwardContext withMode(Mode m) { return new ForwardContext(m, timesteps, recorder, seed); }

    /**
     * A context whose random operations are seeded from {@code s}: a reversible stage gives each block a seed so
     * that the recompute in backward draws the same random numbers as the forward did.
     */
    public ForwardContext withSeed(long s) { return new ForwardContext(mode, timesteps, recorder, s); }

    /** The block seed, or null outside a reversible stage. */
    public Long seed() { return seed; }

    public Mode mode() { return mode; }

    /** Whether normalisation uses batch statistics. */
    public boolean batchStatistics() { return mode != Mode.EVAL; }

    public int timesteps() { return timesteps; }

    /** Null unless static statistics are being collected. */
    public StatisticsRecorder recorder() { return recorder; }
}
