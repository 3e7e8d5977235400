package org.revbench.harness.protocol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Segment;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.reversible.GradientCheck;
import org.revbench.core.reversible.InvertibilityAudit;
import org.revbench.core.reversible.ReconstructionTally;
import org.revbench.core.train.ModelOnBatch;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.Column;

/**
 * The reconstruction audit of a reversible model: forward a random batch, reconstruct every reversible stage's
 * input from its output, and report the largest absolute and relative error, in float64 (the bound) and float32
 * (what training sees).
 *
 * <p>With the {@code inverse_study} column, per dtype also (on the same weights and batch):
 * <ul>
 *   <li>{@code mismatch_fraction_<dtype>}: of every element that any self-checking layer ({@link
 *       org.revbench.core.reversible.ReconstructionAudited}: each reversible node, not only a stage's last) reconstructs
 *       during one forward, the fraction beyond the tolerance {@link ReconstructionTally#forDtype} states;</li>
 *   <li>{@code potential_mismatch_fraction_<dtype>}: the same for the previous membrane potentials the inverses
 *       reconstruct (revnode Eq. 9, 11), which the backward's Jacobian reads;</li>
 *   <li>{@code spike_flip_fraction_<dtype>}: of every spike (0/1 step) the inverses recompute, the fraction that
 *       differs from the forward's;</li>
 *   <li>{@code node_max_rel_error_<dtype>}: the largest per-node reconstruction error relative to that node's largest
 *       input magnitude;</li>
 *   <li>{@code inverse_min_denominator_<dtype>} and {@code inverse_log10_max_amplification_<dtype>}: the smallest
 *       divisor the inverses met and log10 of the largest product of 1/|divisor| along one element's steps;</li>
 *   <li>{@code gradient_max_rel_difference_<dtype>}: {@link GradientCheck}, memory saving on against off, the largest
 *       difference of the input's or any parameter's gradient relative to its largest magnitude.</li>
 * </ul>
 * A value that is not finite (an inverse that divided by 0) is stored as {@link Double#MAX_VALUE} with
 * {@code non_finite: true} in its details.
 */
public final class InvertibilityProtocol implements Protocol {

    @Override
    public String name() { return "invertibility"; }

    @Override
    public List<Measurement> measure(ProtocolContext c) {
        Engines.start();
        List<Measurement> out = new ArrayList<>();
        long seed = c.settings().seeds().get(0);
        boolean study = c.settings().columns().contains(Column.INVERSE_STUDY);
        for (DataType dtype : List.of(DataType.FLOAT64, DataType.FLOAT32)) {
            ModelOptions o = c.options().withDtype(dtype);
            InvertibilityAudit.Result r;
            ReconstructionTally tally = null;
            int audited = 0;
            GradientCheck.Result g = null;
            try (ModelOnBatch mb = ModelOnBatch.open(c.model(), o, c.settings().batch(), seed, c.device())) {
                if (!(mb.network() instanceof SegmentedNetwork sn)) {
                    throw new ProtocolException(c.model().id() + " is not built from segments: nothing to invert");
                }
                r = InvertibilityAudit.run(sn, mb.batch().input());
                if (study) {
                    tally = ReconstructionTally.forDtype(dtype);
                    audited = tallyOneForward(sn, mb.batch().input(), tally);
                    g = GradientCheck.run(sn, mb.batch().input(), mb.batch().labels());
                }
            }
            if (r.stages().isEmpty()) {
                throw new ProtocolException(c.model().id() + " has no reversible stage");
            }
            String suffix = dtype == DataType.FLOAT64 ? "float64" : "float32";
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("dtype", suffix);
            d.put("batch", c.settings().batch());
            d.put("timesteps", c.settings().timesteps());
            d.put("stages", r.stages().size());
            d.put("blocks", r.stages().stream().mapToInt(InvertibilityAudit.Stage::blocks).sum());
            d.put("per_stage_max_abs_error", r.stages().stream().map(InvertibilityAudit.Stage::maxAbsError).toList());
            out.add(c.measurement(name(), "max_abs_error_" + suffix, r.maxAbsError(), "abs", seed, d));
            out.add(c.measurement(name(), "max_rel_error_" + suffix, r.maxRelError(), "rel", seed, d));
            c.log().printf("    %s: max abs %.3e, max rel %.3e over %d stages%n", suffix, r.maxAbsError(), r.maxRelError(),
                    r.stages().size());
            if (study) {
                if (audited == 0) {
                    throw new ProtocolException(c.model().id() + " has no self-checking reversible layer: nothing to study");
                }
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("dtype", suffix);
                s.put("batch", c.settings().batch());
                s.put("timesteps", c.settings().timesteps());
                s.put("nodes", tally.layers());
                s.put("rtol", tally.rtol());
                s.put("atol", tally.atol());
                s.put("elements", tally.elements());
                s.put("mismatched", tally.mismatched());
                s.put("potential_elements", tally.potentialElements());
                s.put("potential_mismatched", tally.potentialMismatched());
                s.put("spikes", tally.spikes());
                s.put("flipped", tally.flipped());
                out.add(study(c, "mismatch_fraction_" + suffix, tally.mismatchFraction(), "fraction", seed, s));
                out.add(study(c, "potential_mismatch_fraction_" + suffix, tally.potentialMismatchFraction(), "fraction", seed, s));
                out.add(study(c, "spike_flip_fraction_" + suffix, tally.spikeFlipFraction(), "fraction", seed, s));
                out.add(study(c, "node_max_rel_error_" + suffix, tally.maxRelError(), "rel", seed, s));
                out.add(study(c, "inverse_min_denominator_" + suffix, tally.minDenominator(), "abs", seed, s));
                out.add(study(c, "inverse_log10_max_amplification_" + suffix, Math.log10(tally.maxAmplification()), "log10", seed, s));
                GradientCheck.Row worst = g.rows().stream()
                        .max(Comparator.comparingDouble(row -> Double.isNaN(row.maxRelDifference()) ? Double.POSITIVE_INFINITY
                                : row.maxRelDifference())).orElseThrow();
                Map<String, Object> gd = new LinkedHashMap<>();
                gd.put("dtype", suffix);
                gd.put("batch", c.settings().batch());
                gd.put("timesteps", c.settings().timesteps());
                gd.put("gradients", g.rows().size());
                gd.put("reached", g.reached());
                gd.put("worst", worst.parameter());
                double gmax = g.rows().stream().mapToDouble(row -> Double.isNaN(row.maxRelDifference())
                        ? Double.POSITIVE_INFINITY : row.maxRelDifference()).max().orElse(0);
                out.add(study(c, "gradient_max_rel_difference_" + suffix, gmax, "rel", seed, gd));
                c.log().printf("    %s study: %d nodes, potential mismatch %.3e, mismatch %.3e (%d of %d), spike flips %.3e (%d of %d), node max rel %.3e,"
                                + " min |D| %.3e, max amplification %.3e, gradient max rel difference %.3e (%s)%n",
                        suffix, tally.layers(), tally.potentialMismatchFraction(), tally.mismatchFraction(), tally.mismatched(), tally.elements(),
                        tally.spikeFlipFraction(), tally.flipped(), tally.spikes(), tally.maxRelError(),
                        tally.minDenominator(), tally.maxAmplification(), gmax, worst.parameter());
            }
        }
        return out;
    }

    /** A study measurement; a value that is not finite is stored as {@link Double#MAX_VALUE}, said in the details. */
    private static Measurement study(ProtocolContext c, String metric, double value, String unit, long seed,
                                     Map<String, Object> details) {
        Map<String, Object> d = details;
        double v = value;
        if (!Double.isFinite(value)) {
            d = new LinkedHashMap<>(details);
            d.put("non_finite", true);
            v = Double.MAX_VALUE;
        }
        return c.measurement("invertibility", metric, v, unit, seed, d);
    }

    /**
     * One forward of the whole network (batch statistics, running statistics untouched, as the audit) with every
     * self-checking layer adding its own reconstruction to {@code tally}; returns how many layers took part.
     */
    static int tallyOneForward(SegmentedNetwork sn, NDArray input, ReconstructionTally tally) {
        int n = 0;
        for (Segment s : sn.segments()) {
            n += ReconstructionTally.attach(s, tally);
        }
        try {
            ForwardContext ctx = ForwardContext.train(sn.options().timesteps()).withMode(ForwardContext.Mode.RECOMPUTE);
            Autograd.withRecording(false, () -> {
                sn.forward(input, ctx).close();
                return null;
            });
        } finally {
            for (Segment s : sn.segments()) {
                ReconstructionTally.attach(s, null);
            }
        }
        return n;
    }
}
