package org.revbench.core.data.frames;

import java.nio.file.Path;
import org.revbench.core.data.DatasetFormatException;

/** A frame cache file that is truncated, corrupt, or of another format version. */
public class FrameCacheFormatException extends DatasetFormatException {
    private static final long serialVersionUID = 1L;

    public FrameCacheFormatException(Path file, String location, String problem) {
        super(file, location, problem);
    }

    public FrameCacheFormatException(Path file, String location, String problem, Throwable cause) {
        super(file, location, problem, cause);
    }
}
