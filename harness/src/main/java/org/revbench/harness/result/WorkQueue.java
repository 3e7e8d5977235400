package org.revbench.harness.result;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The grid's work items in a PostgreSQL results store, shared by any number of workers on any number of machines
 * (the table of Flyway {@code V5__work_items.sql}). Planning adds each item once (its identity is unique). A worker
 * claims one item at a time with a lease ({@code SELECT ... FOR UPDATE SKIP LOCKED}, so two workers never get the
 * same item and neither waits for the other), renews the lease by its heartbeat while it measures, and stores the
 * measurements and marks the item done in one transaction: only while it still holds the item. An item whose lease
 * ran out (its worker was killed, its node failed, its time limit came) goes to the next worker that asks, and its
 * lapse is written in the item's history; after its last allowed attempt it stays failed, with the reason.
 *
 * <p>Every time is the database's clock ({@code clock_timestamp()}), so the workers' clocks need not agree. The queue
 * shares its store's connection and lock: {@link ResultStore#queue()}.
 */
public final class WorkQueue {

    /** The database's clock in epoch milliseconds. */
    private static final String NOW = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    private static final String COLUMNS = "id, identity, table_id, row_id, model, scale, protocol, seed, spec_hash,"
            + " git_commit, tree_state, state, attempts, max_attempts, estimate_seconds, planned_at, worker, host, pid,"
            + " started_at, heartbeat_at, lease_until, progress, finished_at, seconds, error, history, device";

    /** Who holds a lease: a worker's name (unique per process), its host and process id. */
    public record WorkerId(String name, String host, long pid) {
        @Override
        public String toString() {
            return name + " on " + host + " (process " + pid + ")";
        }
    }

    /**
     * A claimed item. {@code takenOver} says, when the item's last attempt lost its lease, whose it was and since
     * when it had been silent (null for an item nobody was measuring).
     */
    public record Lease(WorkItem item, String takenOver) {}

    /** How an attempt ended in the store. */
    public enum Completion {
        /** the measurements are stored and the item is done */
        STORED,
        /** another run had stored the same measurements first: nothing stored again; the item is done */
        STORED_BEFORE,
        /** the lease was lost (another worker took the item over): nothing stored */
        LOST
    }

    /** The queue's counts for one code version: what a worker decides to wait or to exit by. */
    public record Counts(int planned, int running, int runningExpired, int done, int failed, int otherCodePlanned,
                         String otherCode, Long nextLeaseEndsInMillis) {}

    private final ResultStore store;
    private final Connection connection;

    WorkQueue(ResultStore store, Connection connection) {
        this.store = store;
        this.connection = connection;
    }

    /** The database's clock now, epoch milliseconds. */
    public long now() {
        synchronized (store) {
            try {
                return nowIn();
            } catch (SQLException e) {
                throw store.failure("reading the database's clock", e);
            }
        }
    }

    /** Adds the items of {@code plans} that the queue lacks (by identity), in one transaction; returns how many. */
    public int plan(List<WorkItem.Plan> plans) {
        synchronized (store) {
            return store.inTransaction("planning " + plans.size() + " work items", () -> {
                int added = 0;
                try (PreparedStatement st = connection.prepareStatement("INSERT INTO work_items (identity, table_id,"
                        + " row_id, model, scale, protocol, seed, spec_hash, git_commit, tree_state, state, attempts,"
                        + " max_attempts, estimate_seconds, planned_at, device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '"
                        + WorkItem.PLANNED + "', 0, ?, ?, " + NOW + ", ?) ON CONFLICT (identity) DO NOTHING")) {
                    for (WorkItem.Plan p : plans) {
                        int i = 1;
                        st.setString(i++, p.identity());
                        st.setString(i++, p.table());
                        st.setString(i++, p.row());
                        st.setString(i++, p.model());
                        st.setString(i++, p.scale());
                        st.setString(i++, p.protocol());
                        MeasurementTable.setLong(st, i++, p.seed());
                        st.setString(i++, p.specHash());
                        st.setString(i++, p.gitCommit());
                        st.setString(i++, p.treeState());
                        st.setInt(i++, p.maxAttempts());
                        if (p.estimateSeconds() == null) {
                            st.setNull(i++, java.sql.Types.DOUBLE);
                        } else {
                            st.setDouble(i++, p.estimateSeconds());
                        }
                        st.setString(i, p.device() == null ? WorkItem.CPU : p.device());
                        added += st.executeUpdate();
                    }
                }
                return added;
            });
        }
    }

    /**
     * Claims the next item of this code version for {@code worker}, with a lease of {@code leaseMillis}: an item whose
     * lease ran out first (it may have a checkpoint to resume), then the oldest planned one. An expired item that has
     * used its last attempt is marked failed on the way, with why. Empty when nothing is claimable now.
     */
    public Optional<Lease> claim(WorkerId worker, String gitCommit, String treeState, long leaseMillis) {
        return claim(worker, gitCommit, treeState, leaseMillis, java.util.Set.of());
    }

    /** As {@link #claim(WorkerId, String, String, long, java.util.Set)} for a worker on the CPU. */
    public Optional<Lease> claim(WorkerId worker, String gitCommit, String treeState, long leaseMillis,
                                 java.util.Set<String> notProtocols) {
        return claim(worker, gitCommit, treeState, WorkItem.CPU, leaseMillis, notProtocols);
    }

    /**
     * As {@link #claim(WorkerId, String, String, long)}, for a worker on {@code device} (it claims only the items
     * planned for that device), leaving out items of the protocols {@code notProtocols} (a worker whose machine is busy
     * with other measurements leaves the timings, which would have to wait for them, to later or to another worker).
     */
    public Optional<Lease> claim(WorkerId worker, String gitCommit, String treeState, String device, long leaseMillis,
                                 java.util.Set<String> notProtocols) {
        String without = notProtocols.isEmpty() ? "" : " AND protocol NOT IN ("
                + String.join(", ", java.util.Collections.nCopies(notProtocols.size(), "?")) + ")";
        List<String> excluded = List.copyOf(notProtocols);
        synchronized (store) {
            return store.inTransaction("claiming a work item", () -> {
                while (true) {
                    long now = nowIn();
                    WorkItem next;
                    try (PreparedStatement st = connection.prepareStatement("SELECT " + COLUMNS + " FROM work_items"
                            + " WHERE git_commit = ? AND tree_state = ? AND device = ? AND (state = '" + WorkItem.PLANNED + "' OR (state = '"
                            + WorkItem.RUNNING + "' AND lease_until < ?))" + without + " ORDER BY CASE WHEN state = '"
                            + WorkItem.RUNNING + "' THEN 0 ELSE 1 END, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                        st.setString(1, gitCommit);
                        st.setString(2, treeState);
                        st.setString(3, device);
                        st.setLong(4, now);
                        for (int i = 0; i < excluded.size(); i++) {
                            st.setString(5 + i, excluded.get(i));
                        }
                        try (ResultSet rs = st.executeQuery()) {
                            if (!rs.next()) {
                                return Optional.<Lease>empty();
                            }
                            next = read(rs);
                        }
                    }
                    String lapse = null;
                    if (WorkItem.RUNNING.equals(next.state())) {
                        lapse = "attempt " + next.attempts() + " by " + next.worker() + " on " + next.host() + " (process "
                                + next.pid() + "): no heartbeat since " + instant(next.heartbeatAt()) + ", lease expired at "
                                + instant(next.leaseUntil()) + " (the worker was killed, or its node failed or lost the"
                                + " database)";
                        if (next.attempts() >= next.maxAttempts()) {
                            try (PreparedStatement st = connection.prepareStatement("UPDATE work_items SET state = '"
                                    + WorkItem.FAILED + "', error = ?, history = ?, progress = NULL, finished_at = ? WHERE id = ?")) {
                                st.setString(1, lapse + "; that was the last of " + next.maxAttempts() + " attempts");
                                st.setString(2, appended(next.history(), lapse));
                                st.setLong(3, now);
                                st.setLong(4, next.id());
                                st.executeUpdate();
                            }
                            continue;
                        }
                    }
                    try (PreparedStatement st = connection.prepareStatement("UPDATE work_items SET state = '"
                            + WorkItem.RUNNING + "', attempts = attempts + 1, worker = ?, host = ?, pid = ?, started_at = ?,"
                            + " heartbeat_at = ?, lease_until = ?, progress = NULL, history = ? WHERE id = ?")) {
                        st.setString(1, worker.name());
                        st.setString(2, worker.host());
                        st.setLong(3, worker.pid());
                        st.setLong(4, now);
                        st.setLong(5, now);
                        st.setLong(6, now + leaseMillis);
                        st.setString(7, lapse == null ? joined(next.history()) : appended(next.history(), lapse));
                        st.setLong(8, next.id());
                        st.executeUpdate();
                    }
                    return Optional.of(new Lease(item(next.id()), lapse));
                }
            });
        }
    }

    /**
     * Renews {@code worker}'s lease of item {@code id} for {@code leaseMillis} from now and records its progress;
     * false when the worker no longer holds it (its lease ran out and another worker took the item over).
     */
    public boolean heartbeat(long id, WorkerId worker, long leaseMillis, String progress) {
        synchronized (store) {
            try (PreparedStatement st = connection.prepareStatement("UPDATE work_items SET heartbeat_at = " + NOW
                    + ", lease_until = " + NOW + " + ?, progress = ? WHERE id = ? AND worker = ? AND state = '"
                    + WorkItem.RUNNING + "'")) {
                st.setLong(1, leaseMillis);
                st.setString(2, progress == null ? null : truncated(progress, 500));
                st.setLong(3, id);
                st.setString(4, worker.name());
                return st.executeUpdate() == 1;
            } catch (SQLException e) {
                throw store.failure("renewing the lease of work item " + id, e);
            }
        }
    }

    /**
     * Stores {@code ms} and marks item {@code id} done, in one transaction, if {@code worker} still holds it: all or
     * nothing. When the same measurements are stored already (another run made them), nothing is stored again and
     * the item is done all the same.
     */
    public Completion complete(long id, WorkerId worker, List<Measurement> ms, double seconds) {
        synchronized (store) {
            try {
                Completion c = store.inTransaction("storing work item " + id, () -> {
                    if (!markDone(id, worker, seconds, null)) {
                        return Completion.LOST;
                    }
                    try (PreparedStatement st = connection.prepareStatement(MeasurementTable.INSERT)) {
                        for (Measurement m : ms) {
                            MeasurementTable.bind(st, m);
                            st.addBatch();
                        }
                        st.executeBatch();
                    }
                    return Completion.STORED;
                });
                return c;
            } catch (ResultStoreException e) {
                if (!ResultStore.isDuplicate(e.getCause())) {
                    throw e;
                }
            }
            return store.inTransaction("closing work item " + id, () -> markDone(id, worker, seconds,
                    "the measurements were stored by another run first; this attempt's were not stored again")
                    ? Completion.STORED_BEFORE : Completion.LOST);
        }
    }

    private boolean markDone(long id, WorkerId worker, double seconds, String note) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("UPDATE work_items SET state = '" + WorkItem.DONE
                + "', finished_at = " + NOW + ", seconds = ?, progress = NULL, error = ? WHERE id = ? AND worker = ?"
                + " AND state = '" + WorkItem.RUNNING + "'")) {
            st.setDouble(1, seconds);
            st.setString(2, note);
            st.setLong(3, id);
            st.setString(4, worker.name());
            return st.executeUpdate() == 1;
        }
    }

    /**
     * Records that {@code worker}'s attempt at item {@code id} failed with {@code error}: the item returns to the queue,
     * or after its last allowed attempt stays failed. Returns the item's state after, or null when the worker no
     * longer held it.
     */
    public String fail(long id, WorkerId worker, String error) {
        synchronized (store) {
            return store.inTransaction("recording the failure of work item " + id, () -> {
                WorkItem it = item(id);
                if (!held(it, worker)) {
                    return null;
                }
                String state = it.attempts() >= it.maxAttempts() ? WorkItem.FAILED : WorkItem.PLANNED;
                String line = "attempt " + it.attempts() + " by " + worker + " failed: " + error;
                try (PreparedStatement st = connection.prepareStatement("UPDATE work_items SET state = ?, error = ?,"
                        + " history = ?, progress = NULL, lease_until = NULL, finished_at = " + NOW + " WHERE id = ?")) {
                    st.setString(1, state);
                    st.setString(2, truncated(error, 4000));
                    st.setString(3, appended(it.history(), truncated(line, 4000)));
                    st.setLong(4, id);
                    st.executeUpdate();
                }
                return state;
            });
        }
    }

    /**
     * Returns item {@code id} to the queue without counting the attempt (its worker was told to stop, as Slurm does
     * at a job's time limit), so that the next worker takes it at once and resumes from its checkpoint.
     */
    public boolean giveBack(long id, WorkerId worker, String why) {
        synchronized (store) {
            return store.inTransaction("giving back work item " + id, () -> {
                WorkItem it = item(id);
                if (!held(it, worker)) {
                    return false;
                }
                try (PreparedStatement st = connection.prepareStatement("UPDATE work_items SET state = '"
                        + WorkItem.PLANNED + "', attempts = attempts - 1, history = ?, progress = NULL, lease_until = NULL"
                        + " WHERE id = ?")) {
                    st.setString(1, appended(it.history(), "attempt " + it.attempts() + " by " + worker
                            + " given back: " + why));
                    st.setLong(2, id);
                    st.executeUpdate();
                }
                return true;
            });
        }
    }

    private static boolean held(WorkItem it, WorkerId worker) {
        return it != null && WorkItem.RUNNING.equals(it.state()) && worker.name().equals(it.worker());
    }

    /** Item {@code id}, or null. */
    public WorkItem item(long id) {
        synchronized (store) {
            try (PreparedStatement st = connection.prepareStatement("SELECT " + COLUMNS + " FROM work_items WHERE id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? read(rs) : null;
                }
            } catch (SQLException e) {
                throw store.failure("reading work item " + id, e);
            }
        }
    }

    /** Every item, or those of tables {@code tables} where it is not empty, by table and id. */
    public List<WorkItem> items(List<String> tables) {
        synchronized (store) {
            String where = tables == null || tables.isEmpty() ? ""
                    : " WHERE table_id IN (" + String.join(", ", java.util.Collections.nCopies(tables.size(), "?")) + ")";
            try (PreparedStatement st = connection.prepareStatement("SELECT " + COLUMNS + " FROM work_items" + where
                    + " ORDER BY table_id, id")) {
                if (!where.isEmpty()) {
                    for (int i = 0; i < tables.size(); i++) {
                        st.setString(i + 1, tables.get(i));
                    }
                }
                List<WorkItem> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw store.failure("reading work items", e);
            }
        }
    }

    /** The queue as a worker of code version ({@code gitCommit}, {@code treeState}) sees it. */
    public Counts counts(String gitCommit, String treeState) {
        return counts(gitCommit, treeState, WorkItem.CPU);
    }

    /** The counts of the items of one code version on {@code device}; others' planned items count as other code's. */
    public Counts counts(String gitCommit, String treeState, String device) {
        synchronized (store) {
            long now = now();
            int planned = 0;
            int running = 0;
            int expired = 0;
            int done = 0;
            int failed = 0;
            int other = 0;
            String otherCode = null;
            Long next = null;
            for (WorkItem it : items(null)) {
                boolean mine = it.gitCommit().equals(gitCommit) && it.treeState().equals(treeState)
                        && it.device().equals(device);
                if (!mine) {
                    if (WorkItem.PLANNED.equals(it.state())) {
                        other++;
                        otherCode = it.codeVersion() + (WorkItem.CPU.equals(it.device()) ? "" : " on " + it.device());
                    }
                    continue;
                }
                switch (it.state()) {
                    case WorkItem.PLANNED -> planned++;
                    case WorkItem.DONE -> done++;
                    case WorkItem.FAILED -> failed++;
                    default -> {
                        if (it.leaseUntil() != null && it.leaseUntil() < now) {
                            expired++;
                        } else {
                            running++;
                            long in = it.leaseUntil() == null ? 0 : it.leaseUntil() - now;
                            next = next == null ? in : Math.min(next, in);
                        }
                    }
                }
            }
            return new Counts(planned, running, expired, done, failed, other, otherCode, next);
        }
    }

    /** Removes every item of tables {@code tables} (all items where it is empty); returns how many. */
    public int clear(List<String> tables) {
        synchronized (store) {
            return store.inTransaction("removing work items", () -> {
                int n = 0;
                if (tables == null || tables.isEmpty()) {
                    try (PreparedStatement st = connection.prepareStatement("DELETE FROM work_items")) {
                        return st.executeUpdate();
                    }
                }
                try (PreparedStatement st = connection.prepareStatement("DELETE FROM work_items WHERE table_id = ?")) {
                    for (String t : tables) {
                        st.setString(1, t);
                        n += st.executeUpdate();
                    }
                }
                return n;
            });
        }
    }

    private long nowIn() throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT " + NOW); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static WorkItem read(ResultSet rs) throws SQLException {
        String history = rs.getString("history");
        return new WorkItem(rs.getLong("id"), rs.getString("identity"), rs.getString("table_id"), rs.getString("row_id"),
                rs.getString("model"), rs.getString("scale"), rs.getString("protocol"), MeasurementTable.getLong(rs, "seed"),
                rs.getString("spec_hash"), rs.getString("git_commit"), rs.getString("tree_state"), rs.getString("state"),
                rs.getInt("attempts"), rs.getInt("max_attempts"), MeasurementTable.getDouble(rs, "estimate_seconds"),
                rs.getLong("planned_at"), rs.getString("worker"), rs.getString("host"), MeasurementTable.getLong(rs, "pid"),
                MeasurementTable.getLong(rs, "started_at"), MeasurementTable.getLong(rs, "heartbeat_at"), MeasurementTable.getLong(rs, "lease_until"),
                rs.getString("progress"), MeasurementTable.getLong(rs, "finished_at"), MeasurementTable.getDouble(rs, "seconds"), rs.getString("error"),
                history == null || history.isEmpty() ? List.of() : Arrays.asList(history.split("\n")),
                rs.getString("device"));
    }

    private static String appended(List<String> history, String line) {
        List<String> all = new ArrayList<>(history);
        all.add(line.replace('\n', ' '));
        return joined(all);
    }

    private static String joined(List<String> history) {
        return history.isEmpty() ? null : String.join("\n", history);
    }

    private static String truncated(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String instant(Long millis) {
        return millis == null ? "never" : Instant.ofEpochMilli(millis).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
    }
}
