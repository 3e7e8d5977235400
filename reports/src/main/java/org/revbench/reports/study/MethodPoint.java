package org.revbench.reports.study;

import org.revbench.reports.compare.Ours;

/**
 * One method on one backbone depth at one T, as a study measured it: one row of its spec. Absent numbers are null
 * (not measured at the shown scales).
 *
 * @param method     the method, as the rows' label names it
 * @param depth      the backbone depth group (the rows' group)
 * @param timesteps  T
 * @param role       {@code baseline}, {@code alternative} or null ({@link org.revbench.harness.spec.SpecRow#role})
 * @param row        the spec row
 * @param memory     peak training memory, MiB per image
 * @param stepMs     median training-step time, ms
 * @param inferenceUs inference latency, us per image
 * @param macs       multiply-accumulates per image over all steps
 * @param params     trainable parameters
 * @param top1       test top-1 (%) over seeds
 * @param divergence the trajectory protocol's largest relative weight divergence from plain autograd (float32)
 */
public record MethodPoint(String method, String depth, int timesteps, String role, String row, Double memory,
                          Double stepMs, Double inferenceUs, Double macs, Double params, Ours top1, Double divergence) {

    /** Whether both axes of the memory-against-time chart are measured. */
    public boolean placed() {
        return memory != null && stepMs != null;
    }

    /** No more memory and no more time than {@code o}, and less of one. */
    public boolean dominates(MethodPoint o) {
        return memory <= o.memory && stepMs <= o.stepMs && (memory < o.memory || stepMs < o.stepMs);
    }
}
