package org.revbench.harness.result;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A WHERE clause of column equalities with its parameters, built up condition by condition. */
final class SqlFilter {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> parameters = new ArrayList<>();

    /** {@code column = value}, or no condition when {@code value} is null (an optional filter). */
    SqlFilter equalIfGiven(String column, Object value) {
        if (value != null) {
            conditions.add(column + " = ?");
            parameters.add(value);
        }
        return this;
    }

    /** {@code column} starts with {@code prefix}, or no condition when {@code prefix} is null. */
    SqlFilter startsWithIfGiven(String column, String prefix) {
        if (prefix != null) {
            // LIKE's wildcards and the escape character itself, taken literally
            conditions.add(column + " LIKE ? ESCAPE '\\'");
            parameters.add(prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        return this;
    }

    /** {@code column = value}, where a null value must match a null column (SQL's {@code =} never does). */
    SqlFilter equalOrBothNull(String column, Object value) {
        if (value == null) {
            conditions.add(column + " IS NULL");
        } else {
            conditions.add(column + " = ?");
            parameters.add(value);
        }
        return this;
    }

    /** {@code column <> value} ({@code value} not null; a null column matches neither {@code =} nor this). */
    SqlFilter notEqual(String column, Object value) {
        conditions.add(column + " <> ?");
        parameters.add(java.util.Objects.requireNonNull(value, column));
        return this;
    }

    /** " WHERE a = ? AND b IS NULL", or "" without conditions. */
    String where() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Binds the parameters from index 1; returns the next free index. */
    int bind(PreparedStatement st) throws SQLException {
        int i = 0;
        for (Object p : parameters) {
            st.setObject(++i, p);
        }
        return i + 1;
    }
}
