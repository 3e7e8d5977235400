package org.revbench.core.data.loader;

/** A failure on the loader's thread (reading or augmenting a sample), rethrown on the consumer with its cause. */
public class LoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
