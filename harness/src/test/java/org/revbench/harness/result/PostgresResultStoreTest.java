package org.revbench.harness.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The store against a real PostgreSQL server, every test in a schema of its own (dropped afterwards), so a
 * developer's database is left as it was. The server: the one named by {@value #URL_ENV} (what {@code .ci/run}
 * starts), else a Testcontainers container where Docker runs. In CI (env {@code CI} set) having neither fails;
 * elsewhere the test is skipped.
 *
 * <p>A named server comes before Docker: naming one is the stronger statement, and these machines cannot pull
 * an image anyway.
 */
class PostgresResultStoreTest extends ResultStoreContract {

    static final String URL_ENV = "REVBENCH_TEST_PG_URL";
    static final String USER_ENV = "REVBENCH_TEST_PG_USER";
    static final String PASSWORD_ENV = "REVBENCH_TEST_PG_PASSWORD";

    private static PostgreSQLContainer container;
    private static String url;
    private static String user;
    private static String password;
    private static String skipReason;

    private final List<String> schemas = new ArrayList<>();

    @BeforeAll
    static void findServer() {
        String named = System.getenv(URL_ENV);
        if (named != null && !named.isBlank()) {
            url = named;
            user = envOr(USER_ENV, "postgres");
            password = System.getenv(PASSWORD_ENV);
        } else if (DockerClientFactory.instance().isDockerAvailable()) {
            container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            url = container.getJdbcUrl();
            user = container.getUsername();
            password = container.getPassword();
        } else if (System.getenv("CI") != null) {
            fail("no PostgreSQL for the results store test: env " + URL_ENV + " is not set and Docker is not "
                    + "available (.ci/run starts a server and sets " + URL_ENV + ")");
        } else {
            skipReason = "no PostgreSQL: set " + URL_ENV + " (and " + USER_ENV + ", default postgres) or run Docker; "
                    + "skipped outside CI";
        }
    }

    /** Skips test by test (not the class at once), so that the report counts the skipped tests. */
    @BeforeEach
    void skipWithoutServer() {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    @AfterAll
    static void stopContainer() {
        if (container != null) {
            container.stop();
        }
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            for (String s : schemas) {
                st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
            }
        }
    }

    @Override
    ResultStore openStore() {
        return openInSchema(0);
    }

    @Override
    ResultStore openOtherStore() {
        return openInSchema(1);
    }

    /** The store in this test's {@code n}th schema, created on first use. */
    private ResultStore openInSchema(int n) {
        while (schemas.size() <= n) {
            String s = "revbench_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + s);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create a test schema on " + url + ": " + e.getMessage(), e);
            }
            schemas.add(s);
        }
        return ResultStore.open(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schemas.get(n), user, password);
    }

    @Test
    void theStoreTalksToPostgres() throws SQLException {
        try (ResultStore store = openStore();
             Connection c = DriverManager.getConnection(url, user, password)) {
            assertEquals("postgresql", c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT));
            store.save(SampleMeasurements.memory("r1", SampleMeasurements.COMMIT_A, "2025-01-01T10:00:00Z", 1.5));
            try (Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM " + schemas.get(0) + ".measurements")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the row is in this test's schema, committed");
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
