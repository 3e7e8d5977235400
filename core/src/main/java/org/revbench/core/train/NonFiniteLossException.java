package org.revbench.core.train;

/** A loss became NaN or infinite: training stops rather than reporting numbers from a diverged run. */
public final class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(String model, long step, double loss) {
        super("loss is " + loss + " at step " + step + " of " + model
                + ": training diverged (lower the learning rate, or check the input data for NaN)");
    }
}
