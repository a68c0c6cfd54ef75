package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** The tasks_as_jobs_checkpoint table: one row per run, advanced in the same transaction as each batch. */
final class Checkpoints {

    /** A run's row as stored. {@code lastTaskId} is the id of the last task handled; bounds are (lower, upper]. */
    record Run(long runId, long lowerBound, long upperBound, long lastTaskId, long total, long migrated, long quarantined) {
        long done() {
            return migrated + quarantined;
        }
    }

    private final Connection connection;

    Checkpoints(Connection connection) {
        this.connection = connection;
    }

    /** The run an earlier process left unfinished, if any. */
    Optional<Run> unfinished() throws SQLException {
        String sql = """
                SELECT run_id, lower_bound, upper_bound, last_task_id, tasks_total, tasks_migrated, tasks_quarantined
                FROM tasks_as_jobs_checkpoint WHERE finished_at IS NULL ORDER BY run_id DESC LIMIT 1
                """;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Run(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7)));
        }
    }

    /**
     * Starts a run over the tasks that arrived since the last finished one: (highest finished upper bound,
     * highest id now]. Empty when there are none.
     */
    Optional<Run> start() throws SQLException {
        String bounds = """
                SELECT (SELECT max(upper_bound) FROM tasks_as_jobs_checkpoint WHERE finished_at IS NOT NULL),
                       (SELECT max(id) FROM job_tasks)
                """;
        long lower;
        long upper;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(bounds)) {
            rs.next();
            lower = rs.getObject(1) == null ? Long.MIN_VALUE : rs.getLong(1);
            if (rs.getObject(2) == null) {
                return Optional.empty();
            }
            upper = rs.getLong(2);
        }
        if (upper <= lower) {
            return Optional.empty();
        }
        long total;
        try (PreparedStatement st = connection.prepareStatement("SELECT count(*) FROM job_tasks WHERE id > ? AND id <= ?")) {
            st.setLong(1, lower);
            st.setLong(2, upper);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        String insert = """
                INSERT INTO tasks_as_jobs_checkpoint (lower_bound, upper_bound, last_task_id, tasks_total)
                VALUES (?, ?, ?, ?) RETURNING run_id
                """;
        try (PreparedStatement st = connection.prepareStatement(insert)) {
            st.setLong(1, lower);
            st.setLong(2, upper);
            st.setLong(3, lower);
            st.setLong(4, total);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return Optional.of(new Run(rs.getLong(1), lower, upper, lower, total, 0, 0));
            }
        }
    }

    void advance(long runId, long lastTaskId, long migrated, long quarantined) throws SQLException {
        String sql = """
                UPDATE tasks_as_jobs_checkpoint
                SET last_task_id = ?, tasks_migrated = tasks_migrated + ?, tasks_quarantined = tasks_quarantined + ?,
                    updated_at = now() AT TIME ZONE 'UTC'
                WHERE run_id = ?
                """;
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setLong(1, lastTaskId);
            st.setLong(2, migrated);
            st.setLong(3, quarantined);
            st.setLong(4, runId);
            st.executeUpdate();
        }
    }

    void finish(long runId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "UPDATE tasks_as_jobs_checkpoint SET finished_at = now() AT TIME ZONE 'UTC', updated_at = now() AT TIME ZONE 'UTC' WHERE run_id = ?")) {
            st.setLong(1, runId);
            st.executeUpdate();
        }
    }

    /** How every task of job_tasks is accounted for now: one pass, hash joins on the two unique keys. */
    BackfillResult.Totals totals() throws SQLException {
        String sql = """
                SELECT count(*),
                       count(*) FILTER (WHERE j.legacy_task_uuid IS NOT NULL),
                       count(*) FILTER (WHERE q.task_id IS NOT NULL),
                       count(*) FILTER (WHERE j.legacy_task_uuid IS NULL AND q.task_id IS NULL),
                       count(*) FILTER (WHERE j.legacy_task_uuid IS NOT NULL AND q.task_id IS NOT NULL)
                FROM job_tasks t
                LEFT JOIN jobs j ON j.legacy_task_uuid = t.uuid
                LEFT JOIN job_tasks_quarantine q ON q.task_id = t.id
                """;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new BackfillResult.Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }
}
