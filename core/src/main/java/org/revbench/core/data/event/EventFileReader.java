package org.revbench.core.data.event;

import java.io.IOException;
import java.nio.file.Path;
import org.revbench.core.data.EventStream;

/**
 * The reader of one event-file format, with the two checks a dataset's files get before anyone relies on them. Both
 * run the reader's own header and block parsing, so a file passes the checks exactly when the reader accepts it.
 */
public interface EventFileReader {

    /** Decodes every event of {@code file}. */
    EventStream read(Path file) throws IOException;

    /**
     * Checks the header and that the event blocks are whole (their declared lengths fit the file) without decoding
     * an event, and returns the number of events. Cheap (a header and a few bytes per block), so that a training
     * run can check every file of its dataset before the first step.
     */
    long countEvents(Path file) throws IOException;

    /**
     * Decodes every event with all of {@link #read}'s checks, then requires the timestamps to be in order within
     * {@link TimestampOrder#TOLERANCE_US}; returns the number of events. What {@code revbench data check} runs on
     * every file.
     */
    default long validate(Path file) throws IOException {
        EventStream events = read(file);
        TimestampOrder.require(file, events);
        return events.size();
    }
}
