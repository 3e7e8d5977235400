package org.revbench.harness.gate;

/** A measurements file that cannot be read; the message names the file and, where there is one, the entry. */
public final class MeasurementFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    MeasurementFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
