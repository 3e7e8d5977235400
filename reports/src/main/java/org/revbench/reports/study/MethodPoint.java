package org.revbench.reports.study;

import java.util.LinkedHashMap;
import java.util.Map;
import org.revbench.reports.compare.Ours;

/**
 * One method on one backbone depth at one T, as a study measured it: its rows of the spec (one per training dataset:
 * the architecture columns and top-1 on the spec's own data in one row, top-1 on other data, such as event frames, in
 * rows of their own). Absent numbers are null (not measured at the shown scales).
 *
 * @param method     the method, as the rows' label names it
 * @param depth      the backbone depth group (the rows' group)
 * @param timesteps  T
 * @param role       {@code baseline}, {@code alternative} or null ({@link org.revbench.harness.spec.SpecRow#role})
 * @param row        the spec row (the first, where several rows make the point)
 * @param memory     peak training memory, MiB per image
 * @param stepMs     median training-step time, ms
 * @param inferenceUs inference latency, us per image
 * @param macs       multiply-accumulates per image over all steps
 * @param params     trainable parameters
 * @param top1       test top-1 (%) over seeds, by training dataset (the rows' dataset at paper scale), in spec order
 * @param divergence the trajectory protocol's largest relative weight divergence from plain autograd (float32)
 */
public record MethodPoint(String method, String depth, int timesteps, String role, String row, Double memory,
                          Double stepMs, Double inferenceUs, Double macs, Double params, Map<String, Ours> top1,
                          Double divergence) {

    public MethodPoint {
        top1 = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(top1));
    }

    /** This point with what {@code other} (another row of the same method, depth and T) measured and this one did not. */
    public MethodPoint merge(MethodPoint other) {
        Map<String, Ours> accuracy = new LinkedHashMap<>(top1);
        other.top1.forEach(accuracy::putIfAbsent);
        return new MethodPoint(method, depth, timesteps, role != null ? role : other.role, row, first(memory, other.memory),
                first(stepMs, other.stepMs), first(inferenceUs, other.inferenceUs), first(macs, other.macs),
                first(params, other.params), accuracy, first(divergence, other.divergence));
    }

    private static Double first(Double a, Double b) {
        return a != null ? a : b;
    }

    /** Whether both axes of the memory-against-time chart are measured. */
    public boolean placed() {
        return memory != null && stepMs != null;
    }

    /** No more memory and no more time than {@code o}, and less of one. */
    public boolean dominates(MethodPoint o) {
        return memory <= o.memory && stepMs <= o.stepMs && (memory < o.memory || stepMs < o.stepMs);
    }
}
