package org.revbench.harness.gate;

/** A rules file that cannot be used; the message names the file and, where there is one, the entry. */
public final class RulesFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    RulesFileException(String message, Throwable cause) {
        super(message, cause);
    }

    RulesFileException(String message) {
        super(message);
    }
}
