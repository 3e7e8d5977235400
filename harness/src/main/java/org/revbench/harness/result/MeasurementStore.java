package org.revbench.harness.result;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.revbench.harness.Provenance;

/**
 * Where the grid runner puts each finished measurement, asks what is already measured, and claims work so that
 * concurrent runs of one grid split it instead of repeating it.
 */
public interface MeasurementStore {

    /**
     * True when this row's protocol was already measured at this scale by the code {@code code} names
     * ({@link Provenance#codeVersion()}: commit and uncommitted changes) with these settings ({@code specHash}).
     * Always false when the code version cannot be told: such numbers are never reused.
     */
    default boolean has(String table, String row, String scale, String protocol, Provenance code, String specHash) {
        return has(table, row, scale, protocol, null, code, specHash);
    }

    /**
     * As {@link #has(String, String, String, String, Provenance, String)}, of seed {@code seed} alone where it is not
     * null: whether a protocol that measures {@linkplain org.revbench.harness.protocol.Protocol#eachSeedApart() each
     * seed apart} has stored this seed.
     */
    boolean has(String table, String row, String scale, String protocol, Long seed, Provenance code, String specHash);

    /**
     * How long this row's protocol took at this scale when it was last measured, at any commit and with any settings:
     * the task duration ({@link Measurement#taskSeconds()}) of the newest stored measurement of it that has one (by
     * the moment it was measured), or empty when none has. What the grid estimates its time left from.
     */
    OptionalDouble lastTaskSeconds(String table, String row, String scale, String protocol);

    /**
     * Stores one task's measurements in one transaction, all or none; false (and nothing stored) when one of their
     * identities ({@link Measurement#identity()}) is already stored, by another run that measured the same thing.
     */
    boolean saveAll(List<Measurement> ms);

    /**
     * Claims task {@code task} (described as {@code description}) for run {@code run}: empty when the claim is now
     * this run's, else the claim of the run that holds it. A claim whose run is gone (its process no longer lives on
     * this host, or its heartbeat is older than {@code staleMillis}) is taken over.
     */
    Optional<Claim> claim(String task, String description, Provenance run, long staleMillis);

    /** Drops this run's claim of {@code task} (after its measurements are stored, or when it failed). */
    void release(String task, String runId);

    /** Tells other runs that run {@code runId} is alive: refreshes the heartbeat of all its claims. */
    void heartbeat(String runId);

    /** A claim of a task by a run: which run, on which host and process, since when (epoch milliseconds). */
    record Claim(String task, String description, String runId, String host, long pid, long claimedAt,
                 long heartbeatAt) {}
}
