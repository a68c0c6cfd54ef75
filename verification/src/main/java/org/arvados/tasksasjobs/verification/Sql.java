package org.arvados.tasksasjobs.verification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Map;
import org.arvados.tasksasjobs.sql.SqlText;

/** The few JDBC moves every check makes. */
final class Sql {

    /** Rows fetched per round trip when a result is streamed. */
    static final int FETCH_SIZE = 1000;

    private Sql() {
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    @FunctionalInterface
    interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    static final Binder NO_PARAMETERS = st -> { };

    @FunctionalInterface
    interface Call<T> {
        T call() throws SQLException;
    }

    /**
     * Runs statements that may fail in an expected way, leaving the connection usable: inside the caller's transaction
     * a failed statement would abort it, so there it runs under a savepoint that the failure rolls back to.
     */
    static <T> T attempt(Connection c, Call<T> call) throws SQLException {
        if (c.getAutoCommit()) {
            return call.call();
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            T result = call.call();
            c.releaseSavepoint(savepoint);
            return result;
        } catch (SQLException e) {
            c.rollback(savepoint);
            throw e;
        }
    }

    /** Runs a query and hands over its rows one by one. Only small results: the driver reads them all at once. */
    static void forEach(Connection c, String sql, Binder binder, RowHandler handler) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(onTasks(c, sql))) {
            binder.bind(st);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }

    /**
     * Like {@link #forEach} for large results: PostgreSQL's driver fetches through a cursor only inside a transaction,
     * so on an auto-commit connection this opens a read-only one and gives the mode back afterwards.
     */
    static void stream(Connection c, String sql, Binder binder, RowHandler handler) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        }
        try (PreparedStatement st = c.prepareStatement(onTasks(c, sql))) {
            st.setFetchSize(FETCH_SIZE);
            binder.bind(st);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        } finally {
            if (autoCommit) {
                try {
                    c.rollback(); // nothing was written; ends the transaction opened above
                } finally {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(onTasks(c, sql)); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether {@code table} (found through the search path, as the checks' queries find it) has {@code column}. */
    static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname = ? AND attnum > 0 AND NOT attisdropped)")) {
            st.setString(1, table);
            st.setString(2, column);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static boolean hasTable(Connection c, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Why the row checks cannot run here, or null when they can: they compare what the migration made, so the
     * database must have been through expand (the backfill may be partial: then they report what is missing).
     */
    static String notMigrated(Connection c) throws SQLException {
        if (!hasTable(c, "job_tasks")) {
            return "this database has no job_tasks table";
        }
        if (!hasColumn(c, "jobs", "legacy_task_uuid")) {
            return "jobs has no legacy_task_uuid column: the migration has not run here (migrate first)";
        }
        if (!hasTable(c, "job_tasks_quarantine")) {
            return "this database has no job_tasks_quarantine table: the migration has not run here (migrate first)";
        }
        return null;
    }

    /**
     * The checks' SQL as it must run here. It names the original tasks' table by the slot ${job_tasks}: after the
     * contract phase job_tasks is a view over the task-like jobs, so comparing the task-like jobs with it would prove
     * nothing; the original rows are in job_tasks_legacy, which the contract keeps equal to the view (every write to a
     * task-like job is mirrored into it).
     */
    static String onTasks(Connection c, String sql) throws SQLException {
        if (!sql.contains("${job_tasks}")) {
            return sql;
        }
        return SqlText.fill(sql, Map.of("job_tasks", tasksTable(c)));
    }

    /** The table that holds the original tasks here: job_tasks, or job_tasks_legacy after the contract phase. */
    static String tasksTable(Connection c) throws SQLException {
        return contracted(c) ? "job_tasks_legacy" : "job_tasks";
    }

    /** Whether the contract phase ran here: job_tasks is a view and job_tasks_legacy holds the original table. */
    static boolean contracted(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT (SELECT relkind FROM pg_class WHERE oid = to_regclass('job_tasks')) = 'v'"
                + " AND to_regclass('job_tasks_legacy') IS NOT NULL");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** {@code server_version_num}, e.g. 170002. */
    static int serverVersion(Connection c) throws SQLException {
        return (int) count(c, "SELECT current_setting('server_version_num')::int");
    }
}
