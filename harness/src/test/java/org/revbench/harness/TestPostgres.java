package org.revbench.harness;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.revbench.harness.result.ResultStore;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL server for tests, each store in a schema of its own (dropped after each test), so a developer's
 * database is left as it was. The server: the one named by {@value #URL_ENV} (what {@code .ci/run} starts), else a
 * Testcontainers container where Docker runs. In CI (env {@code CI} set) having neither fails; elsewhere the tests are
 * skipped, test by test, so that the report counts them.
 *
 * <p>A JUnit extension: {@code @RegisterExtension static final TestPostgres server = new TestPostgres();} finds the
 * server before the class's tests, skips each test without one, drops its schemas after it and stops a container at
 * the end.
 *
 * <p>A named server comes before Docker: naming one is the stronger statement, and these machines cannot pull
 * an image anyway.
 */
public final class TestPostgres implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    public static final String URL_ENV = "REVBENCH_TEST_PG_URL";
    public static final String USER_ENV = "REVBENCH_TEST_PG_USER";
    public static final String PASSWORD_ENV = "REVBENCH_TEST_PG_PASSWORD";

    private PostgreSQLContainer container;
    private String url;
    private String user;
    private String password;
    private String skipReason;
    private final List<String> schemas = new ArrayList<>();

    /** Finds the server: the named one, else a container, else (outside CI) none, and the tests skip. */
    @Override
    public void beforeAll(ExtensionContext context) {
        String named = System.getenv(URL_ENV);
        if (named != null && !named.isBlank()) {
            String u = System.getenv(USER_ENV);
            url = named;
            user = u == null || u.isBlank() ? "postgres" : u;
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
            skipReason = "no PostgreSQL: set " + URL_ENV + " (and " + USER_ENV + ", default postgres) or run Docker;"
                    + " skipped outside CI";
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        dropSchemas();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (container != null) {
            container.stop();
        }
    }

    public String url() { return url; }

    public String user() { return user; }

    public String password() { return password; }

    /** The schema names made so far, oldest first. */
    public List<String> schemas() { return List.copyOf(schemas); }

    /** A JDBC URL of a new, empty schema. */
    public String newSchemaUrl() {
        String s = "revbench_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + s);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema on " + url + ": " + e.getMessage(), e);
        }
        schemas.add(s);
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + s;
    }

    /** A store in the schema {@code schemaUrl} names. */
    public ResultStore open(String schemaUrl) {
        return ResultStore.open(schemaUrl, user, password);
    }

    /** A connection to the server (the default schema). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Drops every schema made. */
    private void dropSchemas() throws SQLException {
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : schemas) {
                st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
            }
        }
        schemas.clear();
    }
}
