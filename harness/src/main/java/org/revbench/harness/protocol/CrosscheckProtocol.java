package org.revbench.harness.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.engine.Engines;
import org.revbench.harness.bench.PyTorchCrosscheck;
import org.revbench.harness.bench.PyTorchTwin;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.RowSettings;

/**
 * Our training step and peak memory per image beside the plain-PyTorch twin's ({@link PyTorchCrosscheck}): the
 * row's model at its classes and T, the latency batch, {@code latency.warmup} untimed and {@code latency.iterations}
 * timed training steps on each side, at the run's intra-op threads and allocator. Stores both sides' medians and
 * memory and their ratios; each measurement's details name both frameworks' versions, so the report can print them.
 */
public final class CrosscheckProtocol implements Protocol {

    /** Rounds of ours then PyTorch's steps, so that the machine's drift falls on both sides alike. */
    static final int ROUNDS = 3;

    @Override
    public String name() { return "crosscheck"; }

    /** Step times of ours and of the PyTorch twin: measured alone on the machine. */
    @Override
    public boolean timed() { return true; }

    @Override
    public List<Measurement> measure(ProtocolContext c) {
        if (c.device().isGpu()) {
            // its PyTorch twin runs on the CPU, with the same threads and allocator: the comparison is the CPU's
            throw new ProtocolException(c.where() + ": the PyTorch cross-check runs on the CPU only; measure it with"
                    + " --device cpu");
        }
        Engines.start();
        RowSettings s = c.settings();
        var l = s.latency();
        PyTorchCrosscheck.Result r;
        try {
            r = PyTorchCrosscheck.measure(new PyTorchCrosscheck.Settings(c.model(), s.classes(), l.batch(),
                    s.timesteps(), l.warmup(), l.iterations(), ROUNDS), c.provenance().allocator(), c.log());
        } catch (PyTorchTwin.TwinException e) {
            throw new ProtocolException(c.where() + ": " + e.getMessage(), e);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("batch", l.batch());
        d.put("timesteps", s.timesteps());
        d.put("classes", s.classes());
        d.put("threads", r.threads());
        d.put("warmup", l.warmup());
        d.put("steps", l.iterations());
        d.put("rounds", ROUNDS);
        d.put("round_time_ratios", r.roundRatios());
        d.put("ours", r.ourFramework());
        d.put("ours_params", r.ourParams());
        d.put("theirs", r.theirFramework());
        d.put("theirs_params", r.theirParams());
        d.put("theirs_python", r.theirs().get("python_version"));
        d.put("theirs_allocator", r.theirs().get("allocator"));
        d.put("theirs_threads", r.theirs().get("threads"));
        d.put("ours_step_ms", r.ourTimes());
        d.put("theirs_step_ms", r.theirTimes());
        List<Measurement> out = new ArrayList<>();
        out.add(c.measurement(name(), "crosscheck_ours_step_ms", r.ourMedian(), "ms", null, d));
        out.add(c.measurement(name(), "crosscheck_pytorch_step_ms", r.theirMedian(), "ms", null, d));
        out.add(c.measurement(name(), "crosscheck_step_ratio", r.ourMedian() / r.theirMedian(), "x", null, d));
        c.log().printf("    training step: ours %.1f ms, PyTorch %.1f ms (median of %d x %d rounds), ratio %.3f%n",
                r.ourMedian(), r.theirMedian(), l.iterations(), ROUNDS, r.ourMedian() / r.theirMedian());
        if (r.ourMib() != null && r.theirMib() != null) {
            Map<String, Object> m = new LinkedHashMap<>(d);
            m.put("ours_peak_bytes", r.ourMemory().peakBytes());
            m.put("theirs_peak_bytes", r.theirMemory().get("peak_bytes"));
            m.put("memory_warmup", PyTorchCrosscheck.MEMORY_WARMUP);
            m.put("memory_steps", PyTorchCrosscheck.MEMORY_STEPS);
            out.add(c.measurement(name(), "crosscheck_ours_mib_per_image", r.ourMib(), "MiB/img", null, m));
            out.add(c.measurement(name(), "crosscheck_pytorch_mib_per_image", r.theirMib(), "MiB/img", null, m));
            out.add(c.measurement(name(), "crosscheck_memory_ratio", r.ourMib() / r.theirMib(), "x", null, m));
            c.log().printf("    peak memory per image: ours %.3f MiB, PyTorch %.3f MiB, ratio %.4f%n", r.ourMib(),
                    r.theirMib(), r.ourMib() / r.theirMib());
        } else {
            throw new ProtocolException(c.where() + ": no peak memory on "
                    + (r.ourMib() == null ? "our side: " + r.ourMemory().reason() : "PyTorch's side: " + r.theirMemoryReason())
                    + "; nothing of the cross-check is stored");
        }
        return out;
    }
}
