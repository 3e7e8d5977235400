package org.revbench.harness.gate;

import java.util.List;
import org.revbench.harness.result.Measurement;

/**
 * Earlier measurements of one key, for the z-score rule. The results store implements this over its database;
 * {@link InMemoryHistory} over a list.
 */
@FunctionalInterface
public interface History {

    /** No history at all: every z-score rule reports "insufficient history". */
    History NONE = (key, lookback) -> List.of();

    /**
     * The measurements of {@code key} at the last {@code lookback} commits before the current run (not the
     * current run's own), oldest first.
     */
    List<Measurement> of(Measurement.Key key, int lookback);
}
