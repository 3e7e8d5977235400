package org.revbench.core.nn;

import java.util.Random;

/**
 * {@link java.util.Random}'s generator and Gaussians, number for number, without its thread safety: parameters are
 * initialised by one thread, and {@code Random}'s atomic seed updates and synchronised {@code nextGaussian} took half
 * of a model's initialisation (21M parameters: 0.76 against 0.33 s warm). Same 48-bit linear congruential generator,
 * same seed scrambling, same polar method with {@code StrictMath}: a network initialised with it has the weights
 * {@code new Random(seed)} gives, bit for bit ({@code InitRandomTest}).
 */
public final class InitRandom extends Random {

    private static final long serialVersionUID = 1L;
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;

    private long state;
    private double nextNextGaussian;
    private boolean haveNextNextGaussian;

    public InitRandom(long seed) {
        super(0L); // Random's own state is unused: every draw comes through next(bits) below
        setSeed(seed);
    }

    @Override
    public void setSeed(long seed) {
        state = (seed ^ MULTIPLIER) & MASK;
        haveNextNextGaussian = false;
    }

    @Override
    protected int next(int bits) {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int) (state >>> (48 - bits));
    }

    @Override
    public double nextDouble() {
        return (((long) next(26) << 27) + next(27)) * 0x1.0p-53;
    }

    @Override
    public double nextGaussian() {
        if (haveNextNextGaussian) {
            haveNextNextGaussian = false;
            return nextNextGaussian;
        }
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * nextDouble() - 1;
            v2 = 2 * nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        nextNextGaussian = v2 * multiplier;
        haveNextNextGaussian = true;
        return v1 * multiplier;
    }
}
