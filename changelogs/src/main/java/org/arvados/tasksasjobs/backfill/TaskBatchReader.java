package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGStatement;

/**
 * Reads job_tasks in keyset batches ({@code id > last AND id <= upper}), joined to the parent job and to the
 * task-like job of the creator task when one exists. Reads through a cursor and ends a batch early once it
 * has read {@code maxBatchBytes} of text, so memory stays bounded however large the manifests are.
 */
final class TaskBatchReader {

    // The parent must be a real job, not a task-like job that happens to share the uuid.
    private static final String SQL = """
            SELECT ${columns},
                   c.uuid AS creator_job_uuid
            FROM job_tasks t
            LEFT JOIN jobs p ON p.uuid = t.job_uuid AND p.legacy_task_uuid IS NULL
            LEFT JOIN jobs c ON c.legacy_task_uuid = t.created_by_job_task_uuid
            WHERE t.id > ? AND t.id <= ?
            ORDER BY t.id
            LIMIT ?
            """.replace("${columns}", TaskSourceRows.COLUMNS);
    // Before expand (plan on an untouched database) there are no task-like jobs to tell apart or to point at.
    private static final String SQL_BEFORE_EXPAND = SQL
            .replace(" AND p.legacy_task_uuid IS NULL", "")
            .replace("c.uuid AS creator_job_uuid", "NULL AS creator_job_uuid")
            .replace("LEFT JOIN jobs c ON c.legacy_task_uuid = t.created_by_job_task_uuid\n", "");
    // The online phase's drain reads the tasks its captured changes name, whatever their ids.
    private static final String SQL_BY_IDS = SQL.replace("WHERE t.id > ? AND t.id <= ?\nORDER BY t.id\nLIMIT ?", "WHERE t.id = ANY(?)\nORDER BY t.id");
    private static final int FETCH_SIZE = 250;

    private final Connection connection;
    private final String sql;
    private final int batchSize;
    private final long maxBatchBytes;

    TaskBatchReader(Connection connection, int batchSize, long maxBatchBytes) {
        this(connection, batchSize, maxBatchBytes, true);
    }

    TaskBatchReader(Connection connection, int batchSize, long maxBatchBytes, boolean expanded) {
        this.connection = connection;
        this.sql = expanded ? SQL : SQL_BEFORE_EXPAND;
        this.batchSize = batchSize;
        this.maxBatchBytes = maxBatchBytes;
    }

    /** The next batch after {@code lastId}, up to and including {@code upperBound}; empty when none is left. */
    TaskBatch next(long lastId, long upperBound) throws SQLException {
        return next(lastId, upperBound, batchSize);
    }

    /** {@link #next(long, long)} of at most {@code limit} rows. */
    TaskBatch next(long lastId, long upperBound, int limit) throws SQLException {
        List<TaskBatch.Source> rows = new ArrayList<>();
        long last = lastId;
        long bytes = 0;
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            customPlans(st);
            st.setFetchSize(FETCH_SIZE); // a cursor: needs autocommit off, which the backfill has
            st.setLong(1, lastId);
            st.setLong(2, upperBound);
            st.setInt(3, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    TaskBatch.Source source = source(rs);
                    rows.add(source);
                    last = source.task().id();
                    bytes += size(source);
                    if (bytes >= maxBatchBytes) {
                        break; // the rest of this batch waits for the next one
                    }
                }
            }
        }
        return new TaskBatch(rows, last);
    }

    /** The tasks with these ids that still exist, in id order (a task deleted since is simply absent). */
    TaskBatch byIds(Long[] ids) throws SQLException {
        List<TaskBatch.Source> rows = new ArrayList<>();
        long last = 0;
        try (PreparedStatement st = connection.prepareStatement(SQL_BY_IDS)) {
            customPlans(st);
            st.setFetchSize(FETCH_SIZE);
            st.setArray(1, connection.createArrayOf("int8", ids));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    TaskBatch.Source source = source(rs);
                    rows.add(source);
                    last = source.task().id();
                }
            }
        }
        return new TaskBatch(rows, last);
    }

    /**
     * Plans every execution with its own values. A server-prepared statement would get a generic plan after a few
     * batches, made from statistics taken when jobs held no task-like job yet; measured, such a plan made each read
     * grow with the table (half the backfill's time at 100,000 tasks). Planning takes a few milliseconds a batch.
     */
    private static void customPlans(PreparedStatement st) throws SQLException {
        st.unwrap(PGStatement.class).setPrepareThreshold(0);
    }

    private static TaskBatch.Source source(ResultSet rs) throws SQLException {
        return new TaskBatch.Source(TaskSourceRows.task(rs), TaskSourceRows.parent(rs), rs.getString("creator_job_uuid"));
    }

    /** A rough count of the bytes a row holds on the heap; only the large text columns matter. */
    private static long size(TaskBatch.Source source) {
        long n = 512;
        n += length(source.task().parameters()) + length(source.task().output());
        if (source.parent() != null) {
            n += length(source.parent().scriptParameters()) + length(source.parent().runtimeConstraints());
        }
        return n;
    }

    private static long length(String s) {
        return s == null ? 0 : 2L * s.length();
    }
}
