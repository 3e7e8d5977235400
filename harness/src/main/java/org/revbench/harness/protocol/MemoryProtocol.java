package org.revbench.harness.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.engine.Devices;
import org.revbench.core.memory.MemoryResult;
import org.revbench.core.memory.PeakMemoryProbe;
import org.revbench.core.memory.TrainingStepWorkload;
import org.revbench.harness.result.Measurement;

/**
 * Peak training memory per image (ParaRevSNN's MB/img: the allocator's peak over a training step divided by the
 * batch), measured by core's probe in a forked JVM, at the row's memory batch and the model's own input size; and
 * what the step keeps between its forward and its backward ({@code retained_mib_per_image}). With a
 * {@code memory_reference}, both again for the reference model, and the row's excess over it: of the peak
 * ({@code reference_delta_mib_per_image}) and of what is kept ({@code reference_retained_delta_mib_per_image}).
 */
public final class MemoryProtocol implements Protocol {

    private static final double MIB = 1024.0 * 1024.0;

    @Override
    public String name() { return "memory"; }

    @Override
    public List<Measurement> measure(ProtocolContext c) {
        int batch = c.settings().memoryBatch();
        Probe probe = peak(c, c.model().id());
        MemoryResult r = probe.result();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("batch", batch);
        d.put("timesteps", c.settings().timesteps());
        d.put("classes", c.settings().classes());
        d.put("input", c.model().input().toString());
        d.put("peak_bytes", r.peakBytes());
        d.put("live_bytes_before", r.liveBytesBefore());
        d.put(PeakMemoryProbe.ISA_DETAIL, r.details().get(PeakMemoryProbe.ISA_DETAIL)); // what makes it machine-independent
        d.put(PeakMemoryProbe.COUNTER_DETAIL, r.details().get(PeakMemoryProbe.COUNTER_DETAIL)); // host tensors or CUDA's
        if (!probe.origin().equals(c.where())) {
            d.put("measured_for", probe.origin()); // the same probe at the same shapes, earlier in this run
            c.log().printf("    the same probe as %s, earlier in this run%n", probe.origin());
        }
        double activation = (r.peakBytes() - r.liveBytesBefore()) / (double) batch / MIB;
        c.log().printf("    %.3f MiB/img (peak %.1f MiB, of which %.3f MiB/img above parameters and optimizer state)%n",
                r.mibPerImage(), r.peakMib(), activation);
        List<Measurement> out = new ArrayList<>(List.of(
                c.measurement(name(), "mib_per_image", r.mibPerImage(), "MiB/img", null, d),
                c.measurement(name(), "activation_mib_per_image", activation, "MiB/img", null, d)));
        double retained = retained(r, batch);
        if (!Double.isNaN(retained)) {
            out.add(c.measurement(name(), "retained_mib_per_image", retained, "MiB/img", null, d));
        }
        String ref = c.settings().memoryReference();
        if (ref != null) {
            // the same step on the reference model, in its own process: the difference is what the row's model holds
            // beyond it (for a reference that lacks only some components, those components' share of the peak)
            MemoryResult rr = peak(c, ref).result();
            Map<String, Object> dr = new LinkedHashMap<>(d);
            dr.put("reference_model", ref);
            dr.put("reference_peak_bytes", rr.peakBytes());
            double share = (r.peakBytes() - rr.peakBytes()) / (double) batch / MIB;
            c.log().printf("    %.3f MiB/img above the reference %s (peak %.1f MiB)%n", share, ref, rr.peakMib());
            out.add(c.measurement(name(), "reference_delta_mib_per_image", share, "MiB/img", null, dr));
            double refRetained = retained(rr, batch);
            if (!Double.isNaN(retained) && !Double.isNaN(refRetained)) {
                // what the row's model keeps for its backward beyond what the reference keeps
                double kept = retained - refRetained;
                c.log().printf("    %.3f MiB/img kept between forward and backward above the reference (%.3f against %.3f)%n",
                        kept, retained, refRetained);
                out.add(c.measurement(name(), "reference_retained_delta_mib_per_image", kept, "MiB/img", null, dr));
            }
        }
        return out;
    }

    /** A probe's result and the row ({@code table row}) it was first measured for. */
    private record Probe(MemoryResult result, String origin) {}

    /**
     * Peaks measured in this JVM, by (model, batch, T, classes, warm-up): rows that share a reference (revnode Figure
     * 4: three nodes at each T against one node-less network) or a configuration (T-RevSNN Table 2's MS-ResNet-34 at
     * T 4 is Table 6's baseline) measure it once. A probe's peak at fixed shapes is a deterministic count of libtorch's
     * allocations, so a second measurement would repeat the first.
     */
    private static final Map<List<Object>, Probe> PROBES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The workload's live bytes between forward and backward per image, in MiB; NaN where it gives none. */
    private static double retained(MemoryResult r, int batch) {
        Object v = r.details().get("retained_after_forward_bytes");
        return v instanceof Number n ? n.doubleValue() / batch / MIB : Double.NaN;
    }

    private static Probe peak(ProtocolContext c, String model) {
        List<Object> key = List.of(model, c.settings().memoryBatch(), c.settings().timesteps(), c.settings().classes(),
                c.settings().memoryWarmup(), Devices.name(c.device()));
        Probe known = PROBES.get(key);
        if (known != null) {
            return known;
        }
        // on a GPU the probe counts the device's allocations (what the papers' torch.cuda.max_memory_allocated reports)
        MemoryResult r = new PeakMemoryProbe(PeakMemoryProbe.Options.builder().device(c.device()).build())
                .measure(TrainingStepWorkload.class, c.settings().memoryWarmup(), 1, TrainingStepWorkload.args(model,
                        c.settings().memoryBatch(), c.settings().timesteps(), c.settings().classes(), true, c.device()));
        if (!r.available()) {
            throw new ProtocolException("peak memory cannot be measured on this machine: " + r.reason());
        }
        Probe p = new Probe(r, c.where());
        PROBES.put(key, p);
        return p;
    }
}
