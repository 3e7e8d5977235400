package org.revbench.harness.result;

/**
 * The results store could not be opened, read or written; the message names the store (never its password) and
 * what to do. {@link #badInput()} tells a store the user named wrongly (a malformed URL, no such driver) from one
 * that failed (unreachable, locked, a failed write).
 */
public final class ResultStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean badInput;

    public ResultStoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private ResultStoreException(String message, Throwable cause, boolean badInput) {
        super(message, cause);
        this.badInput = badInput;
    }

    /** A store named wrongly: the command line's fault, not the store's. */
    static ResultStoreException badInput(String message, Throwable cause) {
        return new ResultStoreException(message, cause, true);
    }

    /** Whether the user named the store wrongly (exit 2) rather than the store failing (exit 1). */
    public boolean badInput() { return badInput; }
}
