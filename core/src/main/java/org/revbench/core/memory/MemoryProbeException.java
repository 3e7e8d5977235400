package org.revbench.core.memory;

import java.util.List;

/**
 * The forked probe JVM failed: the workload threw, ran out of memory, crashed or timed out.
 * (A probe that merely cannot measure on this machine is not an exception; see
 * {@link MemoryResult#notAvailable(String)}.)
 */
public final class MemoryProbeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String childError;
    private final List<String> stderrTail;
    private final int exitCode;
    private final boolean outOfMemory;

    /**
     * @param message    what went wrong, from the parent's point of view
     * @param childError the child's {@code REVBENCH-MEMORY-ERROR} text, or null if it printed none
     * @param stderrTail the last lines the child wrote to stderr
     * @param exitCode   the child's exit status, or -1 when it did not exit (timeout)
     */
    public MemoryProbeException(String message, String childError, List<String> stderrTail, int exitCode) {
        super(compose(message, childError, stderrTail));
        this.childError = childError;
        this.stderrTail = List.copyOf(stderrTail);
        this.exitCode = exitCode;
        // SIGKILL without a word from the child: on Linux almost always the kernel's out-of-memory killer
        this.outOfMemory = childError != null && childError.startsWith(MemoryProbeMain.OUT_OF_MEMORY) || exitCode == 128 + 9;
    }

    private static String compose(String message, String childError, List<String> stderrTail) {
        StringBuilder sb = new StringBuilder(message);
        if (childError != null) {
            sb.append(": ").append(childError);
        }
        if (!stderrTail.isEmpty()) {
            sb.append("\n--- last lines of the probe's stderr ---\n").append(String.join("\n", stderrTail));
        }
        return sb.toString();
    }

    /** The error line the child printed, or null when it printed none (crash, timeout). */
    public String childError() {
        return childError;
    }

    public List<String> stderrTail() {
        return stderrTail;
    }

    /** Exit status of the child, or -1 when it was killed after the timeout. */
    public int exitCode() {
        return exitCode;
    }

    /** True when the workload ran out of (Java or native) memory, or was killed by SIGKILL (the kernel's OOM killer). */
    public boolean isOutOfMemory() {
        return outOfMemory;
    }
}
