package org.revbench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The class of machine a number was measured on, for the purpose of comparing numbers: the architecture, the CPU
 * vendor and the widest vector instruction set, e.g. {@code x86_64 GenuineIntel avx512}. libtorch's CPU kernels
 * (oneDNN) choose convolution algorithms, weight layouts and workspaces by instruction set, so a peak-memory
 * figure measured on an AVX2 machine need not equal one measured with AVX-512 at the same commit; the regression
 * gate compares like with like and says when it cannot.
 */
public final class MachineClass {

    private static volatile String detected;

    private MachineClass() {}

    /** This machine's class (read once from {@code /proc/cpuinfo}), or {@value Provenance#UNKNOWN}. */
    public static String detect() {
        String c = detected;
        if (c == null) {
            c = of(Path.of("/proc/cpuinfo"), System.getProperty("os.arch"));
            detected = c;
        }
        return c;
    }

    /** The class described by a cpuinfo file on architecture {@code arch} (Java's {@code os.arch}). */
    static String of(Path cpuinfo, String arch) {
        String a = "amd64".equals(arch) ? "x86_64" : arch;
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Provenance.UNKNOWN;
        }
        String vendor = null;
        Set<String> flags = Set.of();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (vendor == null && (key.equals("vendor_id") || key.equals("CPU implementer"))) {
                vendor = value;
            } else if (flags.isEmpty() && (key.equals("flags") || key.equals("Features"))) {
                flags = Set.of(value.split("\\s+"));
            }
        }
        return a + " " + (vendor == null ? Provenance.UNKNOWN : vendor) + " " + isa(flags);
    }

    /** The widest vector extension among {@code flags} that libtorch's kernels dispatch on. */
    private static String isa(Set<String> flags) {
        if (flags.contains("avx512f")) {
            return "avx512";
        }
        if (flags.contains("avx2")) {
            return "avx2";
        }
        if (flags.contains("avx")) {
            return "avx";
        }
        if (flags.contains("sve")) {
            return "sve";
        }
        if (flags.contains("asimd")) {
            return "neon";
        }
        return flags.isEmpty() ? Provenance.UNKNOWN : "baseline";
    }
}
