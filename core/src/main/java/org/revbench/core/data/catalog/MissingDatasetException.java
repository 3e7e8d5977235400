package org.revbench.core.data.catalog;

/** A dataset that is not where RevBench looks, with instructions that name what to place where. */
public final class MissingDatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MissingDatasetException(String message) {
        super(message);
    }
}
