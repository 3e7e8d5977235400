package org.revbench.core.data.image;

import java.nio.file.Path;
import org.revbench.core.data.DatasetFormatException;

/**
 * A CIFAR-10 or CIFAR-100 binary file that is missing, truncated or holds an out-of-range label.
 */
public class CifarFormatException extends DatasetFormatException {
    private static final long serialVersionUID = 1L;

    public CifarFormatException(Path file, String location, String problem) {
        super(file, location, problem);
    }

    public CifarFormatException(Path file, String location, String problem, Throwable cause) {
        super(file, location, problem, cause);
    }
}
