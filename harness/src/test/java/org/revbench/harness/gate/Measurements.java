package org.revbench.harness.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.revbench.harness.result.Measurement;

/** Made-up measurements of one row of one table, as the protocols would record them. */
final class Measurements {

    static final String TABLE = "pararevsnn:table2";
    static final String ROW = "revsresnet21";
    static final String SPEC = "spec-a";

    private Measurements() {}

    static Measurement of(String protocol, String metric, double value, String unit, Long seed) {
        return new Measurement(TABLE, ROW, "revsresnet21", "cpu", protocol, metric, value, unit, seed, SPEC,
                Map.of(), null);
    }

    /** {@code ms} as measured on machine class {@code machine}. */
    static List<Measurement> onMachine(List<Measurement> ms, String machine) {
        org.revbench.harness.Provenance p = new org.revbench.harness.Provenance("a".repeat(40), false,
                org.revbench.harness.Provenance.CLEAN, "17", "vm", "0.35.1", "2.7.1", "Linux", "cpu", machine, "glibc 2.36", 2, 2,
                null, "run", "2026-01-01T10:00:00Z");
        return ms.stream().map(m -> new Measurement(m.table(), m.row(), m.model(), m.scale(), m.protocol(), m.metric(),
                m.value(), m.unit(), m.seed(), m.specHash(), m.details(), p)).toList();
    }

    static Measurement params(double v) { return of("static", "params", v, "count", null); }

    static Measurement flops(double v) { return of("static", "flops", v, "count", null); }

    static Measurement memory(double v) { return of("memory", "mib_per_image", v, "MiB/img", null); }

    static Measurement top1(long seed, double v) { return of("train", "top1", v, "%", seed); }

    static Measurement trainStep(double v) { return of("latency", "train_step_ms", v, "ms", null); }

    static Measurement invertError(double v) { return of("invertibility", "max_abs_error", v, "abs", null); }

    /** A row as a run measures it: counts, memory, three seeds of accuracy, a timing, the inversion error. */
    static List<Measurement> run(double paramsCount, double mib, double[] top1Seeds, double stepMs, double error) {
        List<Measurement> all = new ArrayList<>();
        all.add(params(paramsCount));
        all.add(flops(1_234_567_890));
        all.add(memory(mib));
        for (int s = 0; s < top1Seeds.length; s++) {
            all.add(top1(s + 1, top1Seeds[s]));
        }
        all.add(trainStep(stepMs));
        all.add(invertError(error));
        return all;
    }

    static final double PARAMS = 11_689_512;
    static final double MIB = 23.64;
    static final double[] SEEDS = {76.1, 76.4, 76.7}; // spread 0.3 points
    static final double STEP_MS = 100;
    static final double ERROR = 3.2e-15;

    static List<Measurement> baseline() {
        return run(PARAMS, MIB, SEEDS, STEP_MS, ERROR);
    }

    /**
     * Twenty earlier train-step timings, mean 100 ms, standard deviation 2 ms: the values 100 -+ 2 * c, with c
     * chosen so the sample spread is exactly 2.
     */
    static List<Measurement> stepHistory(int commits) {
        List<Measurement> h = new ArrayList<>();
        double c = Math.sqrt((commits - 1) / (double) commits); // alternating +-c has sample std 1 for even counts
        for (int i = 0; i < commits; i++) {
            h.add(trainStep(STEP_MS + 2 * (i % 2 == 0 ? c : -c)));
        }
        return h;
    }

    static double[] shifted(double[] values, double by) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += by;
        }
        return out;
    }
}
