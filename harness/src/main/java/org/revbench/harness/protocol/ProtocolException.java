package org.revbench.harness.protocol;

/** A protocol could not measure a row, for a reason the message states (missing data, no probe, NaN loss ...). */
public final class ProtocolException extends RuntimeException {

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
