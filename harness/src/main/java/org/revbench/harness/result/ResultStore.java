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
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

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

    private ResultStore(Connection connection, String displayUrl) {
        this.connection = connection;
        this.displayUrl = displayUrl;
    }

    /**
     * The store named by {@value #URL_ENV} (user and password from {@value #USER_ENV} and {@value #PASSWORD_ENV}),
     * or the embedded default at {@code ~/.revbench/results/revbench}.
     */
    public static ResultStore open() {
        String url = System.getenv(URL_ENV);
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
     * Connects to {@code url} (user and password may be null) and migrates its schema.
     *
     * @throws ResultStoreException naming the URL (with any password in it masked) and the cause
     */
    public static ResultStore open(String url, String user, String password) {
        String shown = SecretMask.url(url) + (user == null || user.isEmpty() ? "" : " as " + user);
        Connection c;
        try {
            c = DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new ResultStoreException("cannot connect to the results store " + shown + ": "
                    + SecretMask.describe(e, password), e);
        }
        try {
            // Flyway takes connections of its own; ours stays open so that an in-memory database outlives them
            Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
                    .failOnMissingLocations(true).load().migrate();
        } catch (FlywayException | IllegalStateException e) {
            closeQuietly(c);
            throw new ResultStoreException("cannot migrate the results store " + shown + ": "
                    + SecretMask.describe(e, password), e);
        }
        return new ResultStore(c, shown);
    }

    /** The store's URL and user, any password masked: for messages. */
    public String displayUrl() { return displayUrl; }

    /** Stores {@code m} and commits. */
    public synchronized void save(Measurement m) {
        try (PreparedStatement st = connection.prepareStatement(MeasurementTable.INSERT)) {
            MeasurementTable.bind(st, m);
            st.executeUpdate();
        } catch (SQLException e) {
            throw failure("saving a measurement", e);
        }
    }

    /** Stores all of {@code ms} in one transaction: all or none. */
    public synchronized void saveAll(List<Measurement> ms) {
        inTransaction("saving " + ms.size() + " measurements", () -> {
            try (PreparedStatement st = connection.prepareStatement(MeasurementTable.INSERT)) {
                for (Measurement m : ms) {
                    MeasurementTable.bind(st, m);
                    st.addBatch();
                }
                st.executeBatch();
            }
            return null;
        });
    }

    /** The measurements that match every filter of {@code q}, oldest first. */
    public synchronized List<Measurement> find(ResultQuery q) {
        SqlFilter f = new SqlFilter().equalIfGiven("table_id", q.table()).equalIfGiven("scale", q.scale())
                .equalIfGiven("row_id", q.row()).equalIfGiven("protocol", q.protocol())
                .equalIfGiven("metric", q.metric()).startsWithIfGiven("git_commit", q.commit());
        return select(f, MeasurementTable.OLDEST_FIRST, null);
    }

    /**
     * Whether this row was already measured by this protocol at this scale, commit and spec hash: the grid runner
     * skips what is stored. The work tree's dirty flag is not part of the question.
     */
    public synchronized boolean has(String table, String row, String scale, String protocol, String commit,
                                    String specHash) {
        SqlFilter f = new SqlFilter().equalOrBothNull("table_id", table).equalOrBothNull("row_id", row)
                .equalOrBothNull("scale", scale).equalOrBothNull("protocol", protocol)
                .equalOrBothNull("git_commit", commit).equalOrBothNull("spec_hash", specHash);
        return !select(f, "", 1).isEmpty();
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
     * Adds the measurements of a {@link ResultsJson} file that the store lacks (same key, commit, spec hash and
     * timestamp count as present), in one transaction; returns how many it added.
     *
     * @throws MalformedResultsException naming the file and record when it cannot be read
     */
    public synchronized int importJson(Path file) {
        List<Measurement> ms = ResultsJson.read(file);
        for (int i = 0; i < ms.size(); i++) {
            if (ms.get(i).provenance() == null) {
                throw new MalformedResultsException(file + ": record " + i + ": no 'provenance' (the store keeps the commit"
                        + " and machine of every measurement)", null);
            }
        }
        return inTransaction("importing " + file, () -> {
            int added = 0;
            try (PreparedStatement st = connection.prepareStatement(MeasurementTable.INSERT)) {
                for (Measurement m : ms) {
                    if (!contains(m)) {
                        MeasurementTable.bind(st, m);
                        st.executeUpdate();
                        added++;
                    }
                }
            }
            return added;
        });
    }

    private boolean contains(Measurement m) {
        SqlFilter f = keyFilter(m.key()).equalOrBothNull("git_commit", m.provenance().gitCommit())
                .equalOrBothNull("spec_hash", m.specHash()).equalOrBothNull("measured_at", m.provenance().timestamp());
        return !select(f, "", 1).isEmpty();
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
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    private <T> T inTransaction(String what, SqlWork<T> work) {
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

    private ResultStoreException failure(String what, SQLException e) {
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
