package org.revbench.core.data.event;

import java.nio.file.Path;
import org.revbench.core.data.DatasetFormatException;

/**
 * An AEDAT 2.0 or 3.1 file that is not what its format says: a missing or garbled header, a header that never
 * ends, a truncated event or packet, or a packet header whose sizes are impossible. The message names the file
 * and the byte offset (binary part) or line (text header).
 */
public class AedatFormatException extends DatasetFormatException {
    private static final long serialVersionUID = 1L;

    public AedatFormatException(Path file, String location, String problem) {
        super(file, location, problem);
    }

    public AedatFormatException(Path file, String location, String problem, Throwable cause) {
        super(file, location, problem, cause);
    }
}
