package org.revbench.core.data.catalog;

import java.nio.file.Path;
import org.revbench.core.data.DatasetFormatException;

/** A file whose size or MD5 differs from the published one: damaged download or a different version. */
public final class ChecksumMismatchException extends DatasetFormatException {
    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(Path file, String what, String expected, String found) {
        super(file, "", what + " mismatch: expected " + expected + ", found " + found
                + " (a damaged or incomplete copy: delete it and place or fetch it again)");
    }
}
