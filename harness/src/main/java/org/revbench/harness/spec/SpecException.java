package org.revbench.harness.spec;

/** A spec file that cannot be used; the message names the file, the row and the field. */
public final class SpecException extends RuntimeException {

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
