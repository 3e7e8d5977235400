package org.revbench.harness.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.revbench.harness.TestPostgres;

/**
 * The store against a real PostgreSQL server ({@link TestPostgres}), every test in a schema of its own.
 */
class PostgresResultStoreTest extends ResultStoreContract {

    @RegisterExtension
    static final TestPostgres server = new TestPostgres();

    private final List<String> urls = new ArrayList<>();

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
        while (urls.size() <= n) {
            urls.add(server.newSchemaUrl());
        }
        return server.open(urls.get(n));
    }

    @Test
    void theStoreTalksToPostgres() throws SQLException {
        try (ResultStore store = openStore();
             Connection c = server.connect()) {
            assertEquals("postgresql", c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT));
            store.save(SampleMeasurements.memory("r1", SampleMeasurements.COMMIT_A, "2025-01-01T10:00:00Z", 1.5));
            try (Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM " + server.schemas().get(0) + ".measurements")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the row is in this test's schema, committed");
            }
        }
    }
}
