package org.revbench.core.data.event;

import java.nio.file.Path;
import org.revbench.core.data.EventStream;

/**
 * The order that event timestamps of a real recording keep. Real DVS recordings are not strictly monotone: the
 * camera's events reach the host in USB transfers, and jAER and libcaer recordings step back by a few microseconds
 * where transfers or event sources interleave (libcaer reports larger steps as "non monotonic timestamp", the sign
 * of data lost or damaged in transit, and drops those events). So a step back is accepted up to
 * {@link #TOLERANCE_US} below the latest timestamp seen so far; 1 ms is far above that jitter and far below a
 * sample's length (a CIFAR10-DVS recording lasts about 1.3 s, a DVS128 Gesture window about 6 s). A larger step is
 * what misaligned or overwritten event bytes produce (their "timestamps" are arbitrary numbers), and is refused.
 * It is measured from the latest time so far, not from the previous event, so a run of small steps cannot drift
 * back unnoticed.
 */
public final class TimestampOrder {

    /** The largest step back, in microseconds, below the latest earlier timestamp that a recording may take. */
    public static final long TOLERANCE_US = 1_000;

    private TimestampOrder() {}

    /** Refuses {@code events} of {@code file} if a timestamp lies more than the tolerance before a previous one. */
    public static void require(Path file, EventStream events) throws AedatFormatException {
        long[] t = events.t();
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < events.size(); i++) {
            if (t[i] > latest) {
                latest = t[i];
            } else if (latest - t[i] > TOLERANCE_US) {
                throw new AedatFormatException(file, "event " + i, "timestamp " + t[i] + " us is " + (latest - t[i])
                        + " us before the latest earlier timestamp " + latest + " us; recordings step back by at most "
                        + TOLERANCE_US + " us (damaged or misordered event data)");
            }
        }
    }
}
