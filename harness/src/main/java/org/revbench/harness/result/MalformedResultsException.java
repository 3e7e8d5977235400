package org.revbench.harness.result;

/** A results JSON file that cannot be read back: the message names the file and, where known, the record. */
public final class MalformedResultsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedResultsException(String message, Throwable cause) {
        super(message, cause);
    }
}
