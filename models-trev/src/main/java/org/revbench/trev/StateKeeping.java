package org.revbench.trev;

/**
 * What the memory-saving training forward keeps of the stage states (option {@code states}).
 */
public enum StateKeeping {

    /**
     * The paper's method (T-RevSNN Sec. 4.2, after Eq. 9): only the last step's states (plus each step's input, the
     * stem output); every earlier step's states are reconstructed by the inverse during backward. Memory independent
     * of T for the states; reconstruction errors compound over the steps (each divides by {@code a_l}).
     */
    LAST_STEP("last-step"),

    /**
     * The public code's memory: its {@code ReverseFunction} saves every column's output states
     * ({@code ctx.save_for_backward(x, c0, c1, c2, c3)} per time step), so each step's backward starts from stored
     * states and reconstructs only the previous step's, once, for its recompute. Changes the memory a training step
     * needs (T sets of states instead of one), not the gradients beyond rounding.
     */
    EVERY_STEP("every-step");

    private final String option;

    StateKeeping(String option) {
        this.option = option;
    }

    /** The option value. */
    public String option() { return option; }

    public static StateKeeping parse(String s) {
        for (StateKeeping k : values()) {
            if (k.option.equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("option " + TrevSpec.OPT_STATES + " must be last-step or every-step, got '" + s + "'");
    }
}
