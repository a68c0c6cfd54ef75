package org.arvados.tasksasjobs.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the database holds before anything runs, so a wrong target fails in one line instead of mid-changelog. */
public final class SchemaCheck {

    private final Connection connection;

    public SchemaCheck(Connection connection) {
        this.connection = connection;
    }

    /** Whether a table (not a view) of that name exists in the current schema. */
    public boolean tableExists(String table) throws SQLException {
        return exists("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
                + " AND table_type = 'BASE TABLE'", table);
    }

    public boolean columnExists(String table, String column) throws SQLException {
        return exists("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
                + " AND column_name = ?", table, column);
    }

    /**
     * Why this database is not a crunch v1 Arvados database the migration can run on, or null when it is.
     */
    public String whyNotArvados() throws SQLException {
        boolean jobs = tableExists("jobs");
        // After the contract phase job_tasks is a view over the task-like jobs: still a database to work on.
        boolean tasks = tableExists("job_tasks") || exists("SELECT 1 FROM information_schema.views"
                + " WHERE table_schema = current_schema() AND table_name = ?", "job_tasks");
        if (jobs && tasks) {
            return null;
        }
        String where = "schema " + scalar("SELECT current_schema()") + " of database " + scalar("SELECT current_database()");
        if (!jobs && !tasks) {
            return "no jobs or job_tasks table in " + where + ": not an Arvados database (check --url / PGDATABASE)";
        }
        if (!tasks) {
            return "no job_tasks table in " + where + ": an Arvados schema without crunch v1 tasks (nothing to migrate),"
                    + " or one already contracted";
        }
        return "no jobs table in " + where + ": not an Arvados database (check --url / PGDATABASE)";
    }

    private boolean exists(String sql, String... parameters) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private String scalar(String sql) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
