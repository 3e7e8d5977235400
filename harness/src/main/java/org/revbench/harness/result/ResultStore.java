package org.revbench.harness.result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.revbench.harness.Provenance;

/**
 * Where measurements are kept across runs and commits: one table in a SQL database, by default an embedded H2
 * file under {@code ~/.revbench/results} (nothing to set up), or any JDBC database Flyway and the driver know
 * (PostgreSQL is tested) named by {@value #URL_ENV}. Opening migrates the schema to the newest version
 * ({@code classpath:db/migration}).
 *
 * <p>Every {@link #save} is its own transaction, committed before it returns, so a crash loses only the
 * measurement in flight. One store holds one connection; its methods are synchronized so threads may share it.
 *
 * <p>Details maps round-trip through JSON: numbers come back as {@link Double} (see {@link DetailsJson}).
 */
public final class ResultStore implements MeasurementStore, AutoCloseable {

    public static final String URL_ENV = "REVBENCH_DB_URL";
    public static final String USER_ENV = "REVBENCH_DB_USER";
    public static final String PASSWORD_ENV = "REVBENCH_DB_PASSWORD";

    private final Connection connection;
    private final String displayUrl;
    private final String url;

    private ResultStore(Connection connection, String displayUrl, String url) {
        this.connection = connection;
        this.displayUrl = displayUrl;
        this.url = url;
    }

    /**
     * The store named by {@value #URL_ENV} (user and password from {@value #USER_ENV} and {@value #PASSWORD_ENV}),
     * or the embedded default at {@code ~/.revbench/results/revbench}.
     */
    public static ResultStore open() {
        return open((String) null);
    }

    /**
     * The store a command's {@code --db} names ({@code db}; user and password from {@value #USER_ENV} and
     * {@value #PASSWORD_ENV}), or without one the store of {@link #open()}: the one way a command opens a store.
     */
    public static ResultStore open(String db) {
        String url = db != null ? db : System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            return open(defaultUrl(Path.of(System.getProperty("user.home"))), null, null);
        }
        return open(url, System.getenv(USER_ENV), System.getenv(PASSWORD_ENV));
    }

    /**
     * The H2 file database under {@code home}. AUTO_SERVER lets a second process (e.g. {@code revbench results
     * list} during a grid run) open it too, where plain embedded mode would refuse with "already in use".
     */
    static String defaultUrl(Path home) {
        Path dir = home.resolve(".revbench").resolve("results");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ResultStoreException("cannot create the results directory " + dir + ": " + e, e);
        }
        return "jdbc:h2:file:" + dir.resolve("revbench").toAbsolutePath() + ";AUTO_SERVER=TRUE";
    }

    /**
     * {@code url} as the store opens it: an H2 file URL gets {@code AUTO_SERVER=TRUE} (as the default store has), so
     * that a second process may open the file while a run writes it instead of failing on a locked file; other URLs
     * are kept. An H2 file URL that turns AUTO_SERVER off is refused, since it would lock every other process out.
     */
    static String withSharedAccess(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:h2:mem:") || lower.startsWith("jdbc:h2:tcp:")
                || lower.startsWith("jdbc:h2:ssl:") || lower.startsWith("jdbc:h2:zip:")) {
            return url;
        }
        if (lower.matches(".*;\\s*auto_server\\s*=\\s*false.*")) {
            throw ResultStoreException.badInput("results store " + SecretMask.url(url) + ": AUTO_SERVER=FALSE would lock"
                    + " the file against every other process (a `results list` during a run); leave it out", null);
        }
        return lower.matches(".*;\\s*auto_server\\s*=.*") ? url : url + ";AUTO_SERVER=TRUE";
    }

    /**
     * Connects to {@code url} (user and password may be null) and migrates its schema.
     *
     * @throws ResultStoreException naming the URL (with any password in it masked), the cause and what to do
     */
    public static ResultStore open(String url, String user, String password) {
        if (url == null || !url.startsWith("jdbc:")) {
            throw ResultStoreException.badInput("results store " + SecretMask.url(url) + " is not a JDBC URL (e.g."
                    + " jdbc:h2:file:/path/results or jdbc:postgresql://host:5432/db)", null);
        }
        url = withSharedAccess(url);
        String shown = SecretMask.url(url) + (user == null || user.isEmpty() ? "" : " as " + user);
        Connection c;
        try {
            c = DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw connectFailure(shown, e, password);
        }
        try {
            migrate(url, user, password);
        } catch (FlywayException | IllegalStateException e) {
            closeQuietly(c);
            throw new ResultStoreException("cannot migrate the results store " + shown + ": "
                    + SecretMask.describe(e, password), e);
        } catch (InterruptedException e) {
            closeQuietly(c);
            Thread.currentThread().interrupt();
            throw new ResultStoreException("interrupted while migrating the results store " + shown, e);
        }
        return new ResultStore(c, shown, url);
    }

    /** Serialises this process's migrations: two runs in one JVM opening one new store would both create it. */
    private static final Object MIGRATION_LOCK = new Object();
    /** How often a migration that lost a race with another process's is tried again. */
    static final int MIGRATION_ATTEMPTS = 5;

    /**
     * Migrates the schema. Two processes that open one new store at once race to write version 1 into Flyway's
     * history (H2 has no lock for it; PostgreSQL's advisory lock prevents it): the loser's insert violates the
     * history's key. Migrating again, once the winner has finished, finds every version applied and does nothing,
     * so a migration that failed that way is tried again after a short wait (seen: GridRunnerTest's two concurrent
     * runs on one fresh H2 file, once in a CI run).
     */
    private static void migrate(String url, String user, String password) throws InterruptedException {
        synchronized (MIGRATION_LOCK) {
            for (int attempt = 1; ; attempt++) {
                try {
                    // Flyway takes connections of its own; ours stays open so an in-memory database outlives them
                    Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
                            .failOnMissingLocations(true).load().migrate();
                    return;
                } catch (FlywayException e) {
                    if (attempt >= MIGRATION_ATTEMPTS || !lostMigrationRace(e)) {
                        throw e;
                    }
                    Thread.sleep(100L * attempt);
                }
            }
        }
    }

    /** Whether a migration failed because another process created the same object or history row first. */
    static boolean lostMigrationRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().equals("23505") || s.getSQLState().equals("42S01")
                    || s.getSQLState().equals("42P07"))) {
                return true; // unique violation; table exists (H2; PostgreSQL)
            }
        }
        return false;
    }

    /** Why a connection failed, in one line with what to do: a wrong URL is bad input, the rest a failure. */
    private static ResultStoreException connectFailure(String shown, SQLException e, String password) {
        String why = SecretMask.describe(e, password);
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("08001") && String.valueOf(e.getMessage()).startsWith("No suitable driver")) {
            return ResultStoreException.badInput("cannot connect to the results store " + shown + ": no JDBC driver"
                    + " for this URL (RevBench has H2, jdbc:h2:..., and PostgreSQL, jdbc:postgresql://...)", e);
        }
        if (e.getErrorCode() == 90046 || e.getErrorCode() == 90011 || state.equals("08P01")
                || String.valueOf(e.getMessage()).contains("Unable to parse URL")) {
            return ResultStoreException.badInput("cannot connect to the results store " + shown + ": malformed URL: "
                    + why, e);
        }
        if (e.getErrorCode() == 90020) { // H2: database file locked by a process that opened it without AUTO_SERVER
            return new ResultStoreException("cannot open the results store " + shown + ": its file is locked by another"
                    + " process that opened it without AUTO_SERVER; wait for that process to end, or stop it", e);
        }
        return new ResultStoreException("cannot connect to the results store " + shown + ": " + why
                + "; check that the server is running and reachable, and the user and password", e);
    }

    /** The store's URL and user, any password masked: for messages. */
    public String displayUrl() { return displayUrl; }

    /**
     * The grid's work queue in this store, for workers on many machines ({@link WorkQueue}); it shares this store's
     * connection. Only a PostgreSQL store has one: an H2 file is one machine's.
     *
     * @throws ResultStoreException (bad input) naming the store, why and what to use, for any other database
     */
    public WorkQueue queue() {
        if (!url.toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:postgresql:")) {
            throw ResultStoreException.badInput("the results store " + displayUrl + " cannot hand out work to workers: "
                    + (url.toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:h2:") ? "an H2 database serves one"
                    + " machine only" : "only a PostgreSQL store has a work queue") + "; use a PostgreSQL store that"
                    + " every worker reaches (--db jdbc:postgresql://HOST:5432/DB, or " + URL_ENV + "), or on one machine"
                    + " `revbench run`, whose concurrent runs split the grid", null);
        }
        return new WorkQueue(this, connection);
    }

    /**
     * Stores {@code m} and commits; false (nothing stored) when its identity is stored already.
     *
     * @throws IllegalArgumentException when {@code m} has no provenance with a commit and a timestamp
     */
    public synchronized boolean save(Measurement m) {
        return saveAll(List.of(m));
    }

    /**
     * Stores all of {@code ms} in one transaction: all, or none (and false) when one identity is stored already.
     *
     * @throws IllegalArgumentException when a measurement has no provenance with a commit and a timestamp
     */
    @Override
    public synchronized boolean saveAll(List<Measurement> ms) {
        try {
            return inTransaction("saving " + ms.size() + " measurements", () -> {
                try (PreparedStatement st = connection.prepareStatement(MeasurementTable.INSERT)) {
                    for (Measurement m : ms) {
                        MeasurementTable.bind(st, m);
                        st.addBatch();
                    }
                    st.executeBatch();
                }
                return true;
            });
        } catch (ResultStoreException e) {
            if (isDuplicate(e.getCause())) {
                return false;
            }
            throw e;
        }
    }

    /** Whether {@code e} is a unique-constraint violation (SQLSTATE 23505 in H2 and PostgreSQL alike). */
    static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException q) {
                for (SQLException n = q; n != null; n = n.getNextException()) {
                    if ("23505".equals(n.getSQLState())) {
                        return true;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The measurements that match every filter of {@code q}, oldest first. */
    public synchronized List<Measurement> find(ResultQuery q) {
        SqlFilter f = new SqlFilter().equalIfGiven("table_id", q.table()).equalIfGiven("scale", q.scale())
                .equalIfGiven("row_id", q.row()).equalIfGiven("protocol", q.protocol())
                .equalIfGiven("metric", q.metric()).startsWithIfGiven("git_commit", q.commit());
        return select(f, MeasurementTable.OLDEST_FIRST, null);
    }

    @Override
    public synchronized boolean has(String table, String row, String scale, String protocol, Long seed,
                                    Provenance code, String specHash) {
        if (code.codeVersion() == null) {
            return false;
        }
        SqlFilter f = new SqlFilter().equalOrBothNull("table_id", table).equalOrBothNull("row_id", row)
                .equalOrBothNull("scale", scale).equalOrBothNull("protocol", protocol)
                .equalOrBothNull("git_commit", code.gitCommit()).equalOrBothNull("tree_state", code.treeState())
                .equalOrBothNull("spec_hash", specHash).equalIfGiven("seed", seed);
        return !select(f, "", 1).isEmpty();
    }

    @Override
    public synchronized OptionalDouble lastTaskSeconds(String table, String row, String scale, String protocol) {
        String sql = "SELECT task_seconds FROM " + MeasurementTable.NAME + " WHERE table_id = ? AND row_id = ?"
                + " AND scale = ? AND protocol = ? AND task_seconds IS NOT NULL" + MeasurementTable.NEWEST_FIRST
                + " LIMIT 1";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, table);
            st.setString(2, row);
            st.setString(3, scale);
            st.setString(4, protocol);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? OptionalDouble.of(rs.getDouble(1)) : OptionalDouble.empty();
            }
        } catch (SQLException e) {
            throw failure("reading task durations", e);
        }
    }

    /**
     * How long one seed of this row's protocol took when it was last measured: the newest stored task duration over
     * the number of seeds that task measured (a grid's task trains every seed of a row, a cluster's work item one).
     */
    public synchronized OptionalDouble lastSeedSeconds(String table, String row, String scale, String protocol) {
        String where = " WHERE table_id = ? AND row_id = ? AND scale = ? AND protocol = ?";
        try (PreparedStatement st = connection.prepareStatement("SELECT task_seconds, run_id FROM "
                + MeasurementTable.NAME + where + " AND task_seconds IS NOT NULL" + MeasurementTable.NEWEST_FIRST
                + " LIMIT 1")) {
            st.setString(1, table);
            st.setString(2, row);
            st.setString(3, scale);
            st.setString(4, protocol);
            double seconds;
            String run;
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return OptionalDouble.empty();
                }
                seconds = rs.getDouble(1);
                run = rs.getString(2);
            }
            try (PreparedStatement n = connection.prepareStatement("SELECT COUNT(DISTINCT seed) FROM "
                    + MeasurementTable.NAME + where + " AND run_id = ? AND task_seconds = ?")) {
                n.setString(1, table);
                n.setString(2, row);
                n.setString(3, scale);
                n.setString(4, protocol);
                n.setString(5, run);
                n.setDouble(6, seconds);
                try (ResultSet rs = n.executeQuery()) {
                    rs.next();
                    return OptionalDouble.of(seconds / Math.max(1, rs.getInt(1)));
                }
            }
        } catch (SQLException e) {
            throw failure("reading task durations", e);
        }
    }

    // ---------------------------------------------------------------- claims

    @Override
    public synchronized Optional<Claim> claim(String task, String description, Provenance run, long staleMillis) {
        return claim(task, description, run, staleMillis, host(), ProcessHandle.current().pid());
    }

    /** As {@link #claim(String, String, Provenance, long)}, for a run on {@code host} in process {@code pid}. */
    synchronized Optional<Claim> claim(String task, String description, Provenance run, long staleMillis, String host,
                                       long pid) {
        long now = System.currentTimeMillis();
        try {
            try (PreparedStatement st = connection.prepareStatement("INSERT INTO claims (task, description, run_id, host,"
                    + " pid, claimed_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, task);
                st.setString(2, description);
                st.setString(3, run.runId());
                st.setString(4, host);
                st.setLong(5, pid);
                st.setLong(6, now);
                st.setLong(7, now);
                st.executeUpdate();
                return Optional.empty();
            } catch (SQLException e) {
                if (!isDuplicate(e)) {
                    throw e;
                }
            }
            Optional<Claim> held = claimOf(task);
            if (held.isEmpty()) { // released between the insert and the read: try again
                return claim(task, description, run, staleMillis, host, pid);
            }
            Claim c = held.get();
            if (c.runId().equals(run.runId())) {
                return Optional.empty();
            }
            boolean gone = c.host().equals(host()) ? processGone(c.pid()) : now - c.heartbeatAt() > staleMillis;
            if (!gone) {
                return held;
            }
            // take over only the claim that was read: of two runs that both saw it stale, one wins
            try (PreparedStatement st = connection.prepareStatement("UPDATE claims SET run_id = ?, host = ?, pid = ?,"
                    + " claimed_at = ?, heartbeat_at = ?, description = ? WHERE task = ? AND run_id = ?")) {
                st.setString(1, run.runId());
                st.setString(2, host);
                st.setLong(3, pid);
                st.setLong(4, now);
                st.setLong(5, now);
                st.setString(6, description);
                st.setString(7, task);
                st.setString(8, c.runId());
                return st.executeUpdate() == 1 ? Optional.empty() : claimOf(task);
            }
        } catch (SQLException e) {
            throw failure("claiming " + description, e);
        }
    }

    private Optional<Claim> claimOf(String task) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT task, description, run_id, host, pid, claimed_at,"
                + " heartbeat_at FROM claims WHERE task = ?")) {
            st.setString(1, task);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Claim(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getLong(7))) : Optional.empty();
            }
        }
    }

    @Override
    public synchronized void release(String task, String runId) {
        try (PreparedStatement st = connection.prepareStatement("DELETE FROM claims WHERE task = ? AND run_id = ?")) {
            st.setString(1, task);
            st.setString(2, runId);
            st.executeUpdate();
        } catch (SQLException e) {
            throw failure("releasing a claim", e);
        }
    }

    @Override
    public synchronized void heartbeat(String runId) {
        try (PreparedStatement st = connection.prepareStatement("UPDATE claims SET heartbeat_at = ? WHERE run_id = ?")) {
            st.setLong(1, System.currentTimeMillis());
            st.setString(2, runId);
            st.executeUpdate();
        } catch (SQLException e) {
            throw failure("refreshing claims", e);
        }
    }

    /**
     * Whether process {@code pid} of this host has ended. A killed process that nobody reaped (in a container whose
     * first process does not reap orphans) lingers as a zombie, state Z, which has ended all the same.
     */
    static boolean processGone(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
            return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc: alive, as far as can be told
        }
    }

    /** This machine's name, as claims record it (a process id means something only on its own host). */
    static String host() {
        return Provenance.host();
    }

    /**
     * The newest {@code lookback} measurements of {@code key}, across commits (and repeats at one commit),
     * oldest first: "newest" by the provenance timestamp, so imported measurements fall in their place.
     */
    public synchronized List<Measurement> history(Measurement.Key key, int lookback) {
        return history(keyFilter(key), lookback);
    }

    /**
     * As {@link #history(Measurement.Key, int)}, leaving out the measurements made at {@code exceptCommit} (the full
     * hash) in the query itself, so the lookback counts only the other commits' measurements: the gate's history of
     * a run.
     */
    public synchronized List<Measurement> history(Measurement.Key key, int lookback, String exceptCommit) {
        return history(keyFilter(key).notEqual("git_commit", exceptCommit), lookback);
    }

    private List<Measurement> history(SqlFilter f, int lookback) {
        if (lookback < 1) {
            throw new IllegalArgumentException("lookback must be at least 1, got " + lookback);
        }
        List<Measurement> newestFirst = new ArrayList<>(select(f, MeasurementTable.NEWEST_FIRST, lookback));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The newest measurement of {@code key} at {@code commit}, if any. */
    public synchronized Optional<Measurement> latest(Measurement.Key key, String commit) {
        SqlFilter f = keyFilter(key).equalOrBothNull("git_commit", commit);
        return select(f, MeasurementTable.NEWEST_FIRST, 1).stream().findFirst();
    }

    /**
     * Adds the measurements of a {@link ResultsJson} file that the store lacks, in one transaction: all or none;
     * returns how many it added. Every record is checked as a save checks it. A record whose identity the store (or
     * an earlier record of the file) already holds is skipped when its value is the same, and is an error naming
     * both when it is not: two values of one measurement cannot both be true.
     *
     * @throws MalformedResultsException naming the file and record when one cannot be read, is not a valid
     *         measurement, or conflicts with a stored one
     */
    public synchronized int importJson(Path file) {
        List<Measurement> ms = ResultsJson.read(file);
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        List<Measurement> fresh = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            Measurement m = ms.get(i);
            String where = file + ": record " + i;
            String problem = MeasurementCheck.problem(m);
            if (problem != null) {
                throw new MalformedResultsException(where + ": " + problem, null);
            }
            Integer earlier = seen.putIfAbsent(m.identity(), i);
            if (earlier != null) {
                Measurement e = ms.get(earlier);
                if (!sameValue(e, m)) {
                    throw new MalformedResultsException(where + ": " + describe(m) + " is " + m.value() + ", but record "
                            + earlier + " of the file has " + e.value() + " for the same measurement", null);
                }
                continue;
            }
            Optional<Measurement> stored = stored(m);
            if (stored.isPresent()) {
                if (!sameValue(stored.get(), m)) {
                    Measurement s = stored.get();
                    throw new MalformedResultsException(where + ": " + describe(m) + " is " + m.value() + ", but the store "
                            + displayUrl + " holds " + s.value() + " for the same measurement (measured "
                            + s.provenance().timestamp() + "); remove one of the two", null);
                }
                continue;
            }
            fresh.add(m);
        }
        return inTransaction("importing " + file, () -> {
            try (PreparedStatement st = connection.prepareStatement(MeasurementTable.INSERT)) {
                for (Measurement m : fresh) {
                    MeasurementTable.bind(st, m);
                    st.executeUpdate();
                }
            }
            return fresh.size();
        });
    }

    private static boolean sameValue(Measurement a, Measurement b) {
        return Double.compare(a.value(), b.value()) == 0;
    }

    private static String describe(Measurement m) {
        return m.table() + " " + m.row() + " " + m.scale() + " " + m.protocol() + " " + m.metric()
                + (m.seed() == null ? "" : " seed " + m.seed()) + " at " + m.provenance().gitCommit();
    }

    /**
     * The stored measurement that {@code m} would repeat: one of the same identity, or (for rows stored before
     * identities were kept) one of the same key, code, spec hash and moment.
     */
    private Optional<Measurement> stored(Measurement m) {
        Optional<Measurement> same = select(new SqlFilter().equalIfGiven("identity", m.identity()), "", 1).stream()
                .findFirst();
        if (same.isPresent()) {
            return same;
        }
        SqlFilter f = keyFilter(m.key()).equalOrBothNull("git_commit", m.provenance().gitCommit())
                .equalOrBothNull("tree_state", m.provenance().treeState())
                .equalOrBothNull("spec_hash", m.specHash()).equalOrBothNull("measured_at", m.provenance().timestamp());
        return select(f, "", 1).stream().findFirst();
    }

    private static SqlFilter keyFilter(Measurement.Key key) {
        return new SqlFilter().equalOrBothNull("table_id", key.table()).equalOrBothNull("row_id", key.row())
                .equalOrBothNull("scale", key.scale()).equalOrBothNull("protocol", key.protocol())
                .equalOrBothNull("metric", key.metric()).equalOrBothNull("seed", key.seed());
    }

    private List<Measurement> select(SqlFilter f, String orderBy, Integer limit) {
        String sql = MeasurementTable.SELECT + f.where() + orderBy + (limit == null ? "" : " LIMIT ?");
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            int next = f.bind(st);
            if (limit != null) {
                st.setInt(next, limit);
            }
            List<Measurement> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(MeasurementTable.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("reading measurements", e);
        }
    }

    /** Work that may throw SQLException. */
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    <T> T inTransaction(String what, SqlWork<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    ResultStoreException failure(String what, SQLException e) {
        return new ResultStoreException("results store " + displayUrl + ": " + what + " failed: "
                + SecretMask.describe(e, null), e);
    }

    @Override
    public synchronized void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // nothing left to do with a connection that will not close
        }
    }
}
