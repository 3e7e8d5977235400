package org.revbench.harness.result;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.revbench.harness.Provenance;

/**
 * The {@code measurements} table (see {@code db/migration/V1__measurements.sql} and the later migrations): how a
 * {@link Measurement} is written into one row and read back out of one.
 */
final class MeasurementTable {

    static final String NAME = "measurements";

    /** Every column a measurement fills, in the order {@link #bind} sets them (id and created_at are the database's). */
    static final String COLUMNS = "table_id, row_id, model, scale, protocol, metric, metric_value, unit, seed, spec_hash, "
            + "details, git_commit, git_dirty, jdk, jvm, djl_version, libtorch_version, os, cpu_model, cpus, threads, "
            + "provenance_seed, measured_at, tree_state, machine_class, run_id, identity, allocator, task_seconds, alongside, device, gpu";

    static final String INSERT = "INSERT INTO " + NAME + " (" + COLUMNS + ") VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String SELECT = "SELECT " + COLUMNS + " FROM " + NAME;

    /** Oldest first; id breaks ties between measurements of the same second in the order they were stored. */
    static final String OLDEST_FIRST = " ORDER BY measured_at, id";

    static final String NEWEST_FIRST = " ORDER BY measured_at DESC, id DESC";

    private MeasurementTable() {}

    /** Sets the parameters of {@link #INSERT} to {@code m}'s fields. */
    static void bind(PreparedStatement st, Measurement m) throws SQLException {
        Provenance p = m.provenance();
        String problem = MeasurementCheck.problem(m);
        if (problem != null) {
            throw new IllegalArgumentException("not stored: " + m.table() + " " + m.row() + " " + m.metric() + ": " + problem);
        }
        int i = 0;
        st.setString(++i, m.table());
        st.setString(++i, m.row());
        st.setString(++i, m.model());
        st.setString(++i, m.scale());
        st.setString(++i, m.protocol());
        st.setString(++i, m.metric());
        st.setDouble(++i, m.value());
        st.setString(++i, m.unit());
        setLong(st, ++i, m.seed());
        st.setString(++i, m.specHash());
        st.setString(++i, DetailsJson.toJson(m.details()));
        st.setString(++i, p.gitCommit());
        if (p.gitDirty() == null) {
            st.setNull(++i, Types.BOOLEAN);
        } else {
            st.setBoolean(++i, p.gitDirty());
        }
        st.setString(++i, p.jdk());
        st.setString(++i, p.jvm());
        st.setString(++i, p.djlVersion());
        st.setString(++i, p.libtorchVersion());
        st.setString(++i, p.os());
        st.setString(++i, p.cpuModel());
        st.setInt(++i, p.cpus());
        if (p.threads() == null) {
            st.setNull(++i, Types.INTEGER);
        } else {
            st.setInt(++i, p.threads());
        }
        setLong(st, ++i, p.seed());
        st.setString(++i, p.timestamp());
        st.setString(++i, p.treeState() == null ? Provenance.UNKNOWN : p.treeState());
        st.setString(++i, p.machineClass());
        st.setString(++i, p.runId());
        st.setString(++i, m.identity());
        st.setString(++i, p.allocator());
        if (m.taskSeconds() == null) {
            st.setNull(++i, Types.DOUBLE);
        } else {
            st.setDouble(++i, m.taskSeconds());
        }
        st.setString(++i, p.alongside());
        st.setString(++i, p.device());
        st.setString(++i, p.gpu());
    }

    /** The measurement in the current row of a result set selected with {@link #SELECT}. */
    static Measurement read(ResultSet rs) throws SQLException {
        Provenance p = new Provenance(rs.getString("git_commit"), getBoolean(rs, "git_dirty"),
                rs.getString("tree_state"), rs.getString("jdk"), rs.getString("jvm"), rs.getString("djl_version"),
                rs.getString("libtorch_version"), rs.getString("os"), rs.getString("cpu_model"),
                rs.getString("machine_class"), rs.getString("allocator"), rs.getInt("cpus"), getInteger(rs, "threads"),
                getLong(rs, "provenance_seed"), rs.getString("run_id"), rs.getString("measured_at"),
                rs.getString("alongside"), rs.getString("device"), rs.getString("gpu"));
        return new Measurement(rs.getString("table_id"), rs.getString("row_id"), rs.getString("model"),
                rs.getString("scale"), rs.getString("protocol"), rs.getString("metric"), rs.getDouble("metric_value"),
                rs.getString("unit"), getLong(rs, "seed"), rs.getString("spec_hash"),
                DetailsJson.fromJson(rs.getString("details")), p, getDouble(rs, "task_seconds"));
    }

    static void setLong(PreparedStatement st, int index, Long value) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.BIGINT);
        } else {
            st.setLong(index, value);
        }
    }

    static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Double getDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer getInteger(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Boolean getBoolean(ResultSet rs, String column) throws SQLException {
        boolean v = rs.getBoolean(column);
        return rs.wasNull() ? null : v;
    }
}
