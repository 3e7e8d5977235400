package org.revbench.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file that is not what its format says it is: truncated, wrong magic or header, a value out of range,
 * a bad checksum. The message names the file, where in it (byte offset or line), and the problem. Every reader
 * has its own subclass, and none silently skips or clamps bad input.
 */
public class DatasetFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String location;
    private final String problem;

    public DatasetFormatException(Path file, String location, String problem) {
        this(file, location, problem, null);
    }

    public DatasetFormatException(Path file, String location, String problem, Throwable cause) {
        super(file + (location == null || location.isEmpty() ? "" : " (" + location + ")") + ": " + problem, cause);
        this.file = file;
        this.location = location;
        this.problem = problem;
    }

    /** Location text for a byte offset. */
    public static String atByte(long offset) { return "byte " + offset; }

    /** Location text for a 1-based line number. */
    public static String atLine(long line) { return "line " + line; }

    public Path file() { return file; }

    /** "byte N", "line N", or empty for the whole file. */
    public String location() { return location; }

    public String problem() { return problem; }
}
