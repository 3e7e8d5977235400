package org.revbench.core.data.image;

import java.nio.file.Path;
import org.revbench.core.data.DatasetFormatException;

/**
 * An IDX file (MNIST, Fashion-MNIST), plain or gzip, that is missing, truncated, corrupt or inconsistent.
 */
public class IdxFormatException extends DatasetFormatException {
    private static final long serialVersionUID = 1L;

    public IdxFormatException(Path file, String location, String problem) {
        super(file, location, problem);
    }

    public IdxFormatException(Path file, String location, String problem, Throwable cause) {
        super(file, location, problem, cause);
    }
}
