package org.revbench.reports.reference;

/** A reference file that cannot be used; the message names the file, the entry and the field. */
public final class ReferenceException extends RuntimeException {

    public ReferenceException(String message) {
        super(message);
    }

    public ReferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
