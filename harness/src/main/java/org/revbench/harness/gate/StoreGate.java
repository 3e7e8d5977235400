package org.revbench.harness.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultQuery;
import org.revbench.harness.result.ResultStore;

/**
 * The gate over a grid run: one commit's measurements of some tables at one scale, from the results store,
 * against committed baselines and against the store's own history of earlier commits.
 */
public final class StoreGate {

    private StoreGate() {}

    public static GateReport check(RegressionGate gate, ResultStore store, Set<String> tables, String scale, String commit,
                                   List<Measurement> baselines) {
        List<Measurement> current = new ArrayList<>();
        for (String t : tables) {
            current.addAll(store.find(ResultQuery.all().withTable(t).withScale(scale).withCommit(commit)));
        }
        List<Measurement> relevant = baselines.stream()
                .filter(b -> tables.contains(b.table()) && b.scale().equals(scale)).toList();
        // history: other commits only (the current run is what is judged), left out by the store's query
        History history = (key, lookback) -> store.history(key, lookback, commit);
        return gate.check(current, relevant, history);
    }
}
