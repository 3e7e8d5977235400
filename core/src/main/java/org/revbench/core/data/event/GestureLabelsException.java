package org.revbench.core.data.event;

import java.nio.file.Path;
import org.revbench.core.data.DatasetFormatException;

/**
 * A DVS128 Gesture labels CSV or trial list that is malformed or inconsistent with the files beside it: a bad row,
 * a class outside 1-11, an end before its start, a trial list naming a missing recording, a trial without its
 * labels CSV. The message names the file and the line.
 */
public class GestureLabelsException extends DatasetFormatException {
    private static final long serialVersionUID = 1L;

    public GestureLabelsException(Path file, String location, String problem) {
        super(file, location, problem);
    }
}
