package org.revbench.harness.bench;

import java.util.Map;
import org.revbench.core.engine.ConvolutionCensus;
import org.revbench.core.train.ModelOnBatch;
import org.revbench.core.train.TrainingStep;

/**
 * A training step's time split into its phases (forward, recompute, backward, update), each beside the convolution
 * multiply-accumulates it must do: where a step's time does not follow its work, the split says in which phase.
 *
 * <p>How each is measured, for any model (nothing here asks which):
 * <ul>
 *   <li>forward: the training forward and its loss of the step {@link TimedTrainingStep} times (memory-saving
 *       backward on);</li>
 *   <li>backward: the backward of the same step with the memory-saving backward off, i.e. plain autograd, which only
 *       back-propagates: the gradient work every method must do;</li>
 *   <li>recompute: the memory-saving backward minus that, what reconstructing and re-running the forward adds (about
 *       zero, within the clock's noise, for a model without a memory-saving backward);</li>
 *   <li>update: the optimizer's update (SGD with momentum).</li>
 * </ul>
 * Their MACs come from a {@link ConvolutionCensus} switched at the phase boundaries of one memory-saving step: the
 * forward's convolutions, the recompute's (those that run inside the backward: the reconstruction and the re-run),
 * and the backward's, twice the forward MACs of every convolution autograd recorded (the gradients of its input and of
 * its weight; the stem's input gradient, which nothing needs, counted too: see the census).
 * Every phase's clock waits for the device ({@link TimedTrainingStep#runPhases}); medians are taken phase by phase.
 */
public final class TrainingPhaseSplit {

    /**
     * The medians of each phase, in milliseconds, and the MACs of one step's phases.
     *
     * @param forwardMs          the forward with the memory-saving backward on (reversible parts unrecorded)
     * @param backwardMs         the memory-saving backward, which holds the recompute
     * @param autogradForwardMs  the forward with the memory-saving backward off (everything recorded)
     * @param autogradBackwardMs the backward with the memory-saving backward off
     */
    public record Result(double forwardMs, double backwardMs, double autogradForwardMs, double autogradBackwardMs,
                         double updateMs,
                         long forwardMacs, long recomputeMacs, long backwardMacs, long autogradBackwardMacs,
                         int iterations) {

        /** What the memory-saving backward adds to plain back-propagation; noise around zero where it adds nothing. */
        public double recomputeMs() { return backwardMs - autogradBackwardMs; }

        /** The memory-saving step: forward, backward with its recompute, update. */
        public double stepMs() { return forwardMs + backwardMs + updateMs; }

        /** The convolution MACs of one step, the recompute included. */
        public long macs() { return forwardMacs + recomputeMacs + backwardMacs; }

        /** Milliseconds per 10^9 convolution MACs of the whole step: the pace that compares models of unequal work. */
        public double msPerGmac() { return stepMs() / (macs() / 1e9); }

        /** Every figure by name, as the grid stores it in a measurement's details and {@code profile --json} prints it. */
        public java.util.Map<String, Object> figures() {
            java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
            d.put("forward_ms", forwardMs);
            d.put("recompute_difference_ms", recomputeMs());
            d.put("backward_ms", autogradBackwardMs);
            d.put("update_ms", updateMs);
            d.put("step_ms", stepMs());
            d.put("memory_saving_backward_ms", backwardMs);
            d.put("recorded_forward_ms", autogradForwardMs);
            d.put("forward_gmacs", forwardMacs / 1e9);
            d.put("recompute_gmacs", recomputeMacs / 1e9);
            d.put("backward_gmacs", backwardMacs / 1e9);
            d.put("ms_per_gmac", msPerGmac());
            return d;
        }
    }

    private TrainingPhaseSplit() {}

    /**
     * Measures {@code mb}'s model: {@code warmup} unmeasured and {@code iterations} timed steps with the memory-saving
     * backward on and as many with it off, alternating, then one counted step in each mode. Leaves it on.
     */
    public static Result measure(ModelOnBatch mb, int warmup, int iterations) {
        if (warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("warmup " + warmup + ", iterations " + iterations);
        }
        // the two modes alternate step by step, so that the machine's drift (10-30 % over minutes on a shared VM)
        // falls on both alike and their difference, the recompute, is not drift
        int phases = TrainingStep.Phase.values().length;
        double[][] saving = new double[phases][iterations];
        double[][] autograd = new double[phases][iterations];
        try (TimedTrainingStep on = new TimedTrainingStep(mb.network(), true);
             TimedTrainingStep off = new TimedTrainingStep(mb.network(), false)) {
            for (int i = -warmup; i < iterations; i++) {
                for (boolean memorySaving : new boolean[] {true, false}) {
                    mb.network().setMemorySaving(memorySaving);
                    double[] one = (memorySaving ? on : off).runPhases(mb.batch(), null);
                    if (i >= 0) {
                        for (int p = 0; p < phases; p++) {
                            (memorySaving ? saving : autograd)[p][i] = one[p];
                        }
                    }
                }
            }
        }
        ConvolutionCensus[] census = new ConvolutionCensus[2];
        try (TimedTrainingStep step = new TimedTrainingStep(mb.network(), true)) { // sets the memory-saving backward on
            census[0] = ConvolutionCensus.open();
            try {
                step.runPhases(mb.batch(), phase -> {
                    if (phase == TrainingStep.Phase.FORWARD) {
                        census[0].close();
                        census[1] = ConvolutionCensus.open();
                    } else if (phase == TrainingStep.Phase.BACKWARD) {
                        census[1].close();
                    }
                });
            } finally {
                for (ConvolutionCensus c : census) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
        long forward = forwardMacs(census[0].counts(), false);
        long recompute = forwardMacs(census[1].counts(), false);
        long backward = 2 * (forwardMacs(census[0].counts(), true) + forwardMacs(census[1].counts(), true));
        long autogradBackward = autogradBackwardMacs(mb);
        return new Result(Median.of(saving[0]), Median.of(saving[1]), Median.of(autograd[0]), Median.of(autograd[1]),
                Median.of(saving[2]), forward, recompute, backward, autogradBackward, iterations);
    }

    /** Twice the forward MACs of every convolution one plain-autograd step records (memory-saving backward off). */
    private static long autogradBackwardMacs(ModelOnBatch mb) {
        try (TimedTrainingStep step = new TimedTrainingStep(mb.network(), false)) {
            ConvolutionCensus[] census = {ConvolutionCensus.open()};
            try {
                step.runPhases(mb.batch(), phase -> census[0].close());
            } finally {
                census[0].close();
            }
            return 2 * forwardMacs(census[0].counts(), true);
        } finally {
            mb.network().setMemorySaving(true);
        }
    }

    /** Forward MACs of the counted convolutions (only those autograd recorded where {@code recordedOnly}). */
    static long forwardMacs(Map<ConvolutionCensus.Signature, Integer> counts, boolean recordedOnly) {
        long sum = 0;
        for (Map.Entry<ConvolutionCensus.Signature, Integer> e : counts.entrySet()) {
            if (!recordedOnly || e.getKey().recorded()) {
                sum += e.getKey().forwardMacs() * e.getValue();
            }
        }
        return sum;
    }
}
