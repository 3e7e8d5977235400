package org.revbench.harness.result;

/** The results store could not be opened, read or written; the message names the store (never its password). */
public final class ResultStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResultStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
