package org.revbench.harness.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A results-table column a spec row may ask for, and the protocol that measures it. */
public enum Column {
    PARAMS("params", "static"),
    FLOPS("flops", "static"),
    MEMORY("memory", "memory"),
    TRAIN_STEP("train_step", "latency"),
    /** The training forward and backward timed apart (revnode Figure 5). */
    TRAIN_PHASES("train_phases", "latency"),
    /**
     * The training step split into forward, recompute, backward and update, each beside the convolution MACs it must
     * do (harness {@code TrainingPhaseSplit}): the pace in milliseconds per GMAC, which compares models of unequal work.
     */
    TRAIN_SPLIT("train_split", "latency"),
    INFERENCE("inference", "latency"),
    /**
     * The convolution floor of one inference: every convolution of a {@code predict} timed on its own and summed
     * (core's {@code ConvolutionFloor}), the part of the inference time the convolution library itself sets.
     */
    INFERENCE_FLOOR("inference_floor", "latency"),
    ACCURACY("accuracy", "train"),
    TRAIN_TIME("train_time", "train"),
    INVERTIBILITY("invertibility", "invertibility"),
    /** The memory-saving backward's training trajectory against plain autograd's, from the same weights and batches. */
    TRAJECTORY("trajectory", "trajectory"),
    /**
     * The invertibility protocol's element-wise study (on top of the audit): the fraction of reconstructed node inputs
     * beyond a tolerance, the fraction of spikes the inverse recomputes differently, the inverse's conditioning, and
     * the memory-saving backward's gradients against plain autograd, float64 and float32.
     */
    INVERSE_STUDY("inverse_study", "invertibility"),
    /**
     * The training step and peak memory per image of the row's model beside its plain-PyTorch twin's, same batch, T,
     * threads and allocator (the cross-check of the baseline against the framework people use).
     */
    PYTORCH_CROSSCHECK("pytorch_crosscheck", "crosscheck");

    private final String id;
    private final String protocol;

    Column(String id, String protocol) {
        this.id = id;
        this.protocol = protocol;
    }

    public String id() { return id; }

    /** The protocol ({@code static}, {@code memory}, {@code latency}, {@code train}, {@code invertibility}, {@code trajectory}). */
    public String protocol() { return protocol; }

    public static Column parse(String s) {
        for (Column c : values()) {
            if (c.id.equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown column '" + s + "' (known: "
                + Arrays.stream(values()).map(Column::id).collect(Collectors.joining(", ")) + ")");
    }
}
