package org.revbench.harness.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;
import org.revbench.harness.Provenance;
import org.revbench.harness.protocol.Protocol;
import org.revbench.harness.result.ResultStore;
import org.revbench.harness.result.WorkItem;
import org.revbench.harness.run.GridEstimate;
import org.revbench.harness.run.GridRunner;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;

/**
 * {@code revbench plan}: the measurements of some specs at one scale that the store lacks for this code version,
 * as work items in the store's queue. The tasks are the grid's ({@link GridRunner#plan}); a protocol that trains each
 * seed apart gives one item per seed still missing, so a row's seeds train on different workers at once; any other
 * gives one item per task. Each item carries how long it should take, from the durations stored by earlier runs.
 */
public final class WorkPlanner {

    /**
     * What planning did.
     *
     * @param items  the items the selection has at this code version that are not stored yet
     * @param added  of those, the ones the queue did not hold yet
     * @param stored tasks whose measurements the store holds already for this code version: not planned
     */
    public record Result(int items, int added, int stored, List<String> notRun, List<WorkItem.Plan> plans) {}

    private WorkPlanner() {}

    /**
     * Plans the selected tasks of {@code specs} at {@code scale} for the code {@code code} names; each item may be
     * attempted {@code maxAttempts} times.
     *
     * @throws IllegalArgumentException when the code version cannot be told (no git, or uncommitted changes that
     *         could not be hashed): a worker could not know it runs the planned code
     */
    public static Result plan(ResultStore store, List<ExperimentSpec> specs, Scale scale, Predicate<String> rows,
                              Predicate<String> protocolNames, Function<String, Protocol> protocols, Provenance code,
                              int maxAttempts) {
        if (code.codeVersion() == null) {
            throw new IllegalArgumentException("the code version of this checkout cannot be told (commit "
                    + code.gitCommit() + ", tree " + code.treeState() + "): workers could not tell that they run the"
                    + " planned code; plan from a git checkout");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("--max-attempts must be at least 1, got " + maxAttempts);
        }
        List<String> notRun = new ArrayList<>();
        List<GridRunner.Task> tasks = GridRunner.plan(specs, scale, rows, protocolNames, notRun);
        GridEstimate estimate = GridEstimate.fromStore(store, tasks, scale);
        List<WorkItem.Plan> plans = new ArrayList<>();
        int stored = 0;
        for (int i = 0; i < tasks.size(); i++) {
            GridRunner.Task t = tasks.get(i);
            Protocol p = protocols.apply(t.protocol());
            List<Long> missing = GridRunner.missingSeeds(store, p, t, scale, code);
            if (missing.isEmpty()) {
                stored++;
                continue;
            }
            String hash = t.settings().hash(t.row().model());
            String device = GridRunner.onDevice(code, t).deviceName(); // only a worker on it claims the item
            if (p.eachSeedApart()) {
                OptionalDouble seedSeconds = store.lastSeedSeconds(t.spec().id(), t.row().id(), scale.id(), t.protocol());
                Double each = seedSeconds.isPresent() ? Double.valueOf(seedSeconds.getAsDouble())
                        : estimate.seconds(i).isPresent() ? estimate.seconds(i).getAsDouble() / t.seeds().size() : null;
                for (long seed : missing) {
                    plans.add(new WorkItem.Plan(t.spec().id(), t.row().id(), t.row().model(), scale.id(), t.protocol(),
                            seed, hash, code.gitCommit(), code.treeState(), maxAttempts, each, device));
                }
            } else {
                plans.add(new WorkItem.Plan(t.spec().id(), t.row().id(), t.row().model(), scale.id(), t.protocol(), null,
                        hash, code.gitCommit(), code.treeState(), maxAttempts,
                        estimate.seconds(i).isPresent() ? estimate.seconds(i).getAsDouble() : null, device));
            }
        }
        int added = store.queue().plan(plans);
        return new Result(plans.size(), added, stored, notRun, plans);
    }
}
