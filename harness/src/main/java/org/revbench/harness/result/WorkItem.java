package org.revbench.harness.result;

import java.util.List;

/**
 * One measurement still to be made on a cluster, as the store's work queue holds it ({@link WorkQueue}): a row's
 * protocol at one scale, of one seed where the protocol trains each seed apart ({@code seed} null otherwise), by one
 * code version and spec row, with the state of its attempts. Times are epoch milliseconds of the database's clock.
 *
 * @param state       planned, running, done or failed
 * @param attempts    how many attempts have started (an attempt stopped by SIGTERM is given back)
 * @param worker      the worker of the current or last attempt (null before the first)
 * @param leaseUntil  while running: when the lease ends unless the worker's heartbeat renews it
 * @param progress    while running: the last line the protocol logged
 * @param error       why the last attempt failed; for a failed item, why it gave up
 * @param history     one line per attempt that ended without a result, oldest first
 * @param device      the device it is measured on ({@code cpu}, {@code cuda:N}): only a worker on that device claims it
 */
public record WorkItem(long id, String identity, String table, String row, String model, String scale,
                       String protocol, Long seed, String specHash, String gitCommit, String treeState, String state,
                       int attempts, int maxAttempts, Double estimateSeconds, long plannedAt, String worker, String host,
                       Long pid, Long startedAt, Long heartbeatAt, Long leaseUntil, String progress, Long finishedAt,
                       Double seconds, String error, List<String> history, String device) {

    public static final String PLANNED = "planned";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    /** The device of an item planned without one named: the CPU. */
    public static final String CPU = "cpu";

    public WorkItem {
        history = history == null ? List.of() : List.copyOf(history);
        device = device == null ? CPU : device;
    }

    /** What the item measures, as logs and the status show it: {@code table row protocol [seed N] @scale}. */
    public String label() {
        return table + " " + row + " " + protocol + (seed == null ? "" : " seed " + seed) + " @" + scale
                + (CPU.equals(device) ? "" : " on " + device);
    }

    /** The code version that must measure it, as {@link org.revbench.harness.Provenance#codeVersion()} writes it. */
    public String codeVersion() {
        return org.revbench.harness.Provenance.CLEAN.equals(treeState) ? gitCommit : gitCommit + "+" + treeState;
    }

    /**
     * An item to plan: what it measures and its code version, before the queue gives it an id.
     *
     * @param estimateSeconds how long it should take (null: nothing to estimate from)
     * @param device          where it is measured ({@code cpu}, {@code cuda:N})
     */
    public record Plan(String table, String row, String model, String scale, String protocol, Long seed,
                       String specHash, String gitCommit, String treeState, int maxAttempts, Double estimateSeconds,
                       String device) {

        /** The identity the queue holds once: what is measured, with which spec row, by which code. */
        public String identity() {
            // the CPU's identity stays what it was before items named a device
            return Measurement.sha256(String.join("\u0000", "work item", table, row, scale, protocol,
                    String.valueOf(seed), specHash, gitCommit, treeState) + (CPU.equals(device) ? "" : "\u0000" + device));
        }
    }
}
