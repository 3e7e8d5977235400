package org.revbench.harness.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user-facing failure: a one-line message (no stack trace) and the exit status. Extra fields go into the
 * error's JSON object when {@code --json} was given.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit status for invalid input (picocli's usage-error status). */
    public static final int USAGE = 2;
    /** Exit status for a run that failed (diverged, probe failed, nothing to measure). */
    public static final int FAILED = 1;

    private final int exitCode;
    private final transient Map<String, Object> fields;

    public CliException(int exitCode, String message) {
        this(exitCode, message, Map.of(), null);
    }

    public CliException(int exitCode, String message, Map<String, Object> fields, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.fields = new LinkedHashMap<>(fields);
    }

    public int exitCode() { return exitCode; }

    /** Fields for the JSON error object (besides "error" and "exit_code"). */
    public Map<String, Object> fields() { return fields; }
}
