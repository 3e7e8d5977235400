package org.revbench.core.train;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be restored: the message names the file and what is wrong with it. */
public final class CheckpointException extends IOException {

    private final transient Path file;

    public CheckpointException(Path file, String problem) {
        super("checkpoint " + file + ": " + problem);
        this.file = file;
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super("checkpoint " + file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() { return file; }
}
