package org.revbench.harness.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How big a protocol runs. Architecture-only columns (parameters, FLOPs, memory per image, latency,
 * invertibility) are measured at the paper's architecture size at every scale; the scale changes only what needs
 * training (epochs, samples, seeds, the dataset that stands in where the real one is absent).
 */
public enum Scale {
    /**
     * The paper's protocol unchanged (docs/papers.md, each paper's training protocols): needs the real datasets and,
     * in practice, a GPU.
     */
    PAPER,
    /** The same protocol shape reduced to fit a 2-core CPU; the spec states how, and the report shows it. */
    CPU,
    /** Tiny, for tests and the CI gate. */
    SMOKE;

    /** The name used in spec files, on the command line and in the results store. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scale parse(String s) {
        for (Scale v : values()) {
            if (v.id().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown scale '" + s + "' (known: "
                + Arrays.stream(values()).map(Scale::id).collect(Collectors.joining(", ")) + ")");
    }
}
