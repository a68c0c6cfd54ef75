package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.postgresql.util.PSQLState;

/**
 * Writes task-like jobs a batch at a time: one INSERT ... SELECT FROM unnest(arrays) per batch (one round trip,
 * one plan), idempotent through the unique index on legacy_task_uuid. Its columns, their types and the values bound
 * come from the column table ({@link JobColumn}); nothing here lists them.
 */
final class TaskLikeJobWriter {

    private static final List<JobColumn> COLUMNS = JobColumn.written();

    /** {@code ?::type[]} for every written column: one array parameter each, unnested side by side. */
    private static final String ARRAYS = COLUMNS.stream().map(c -> "?::" + c.type().element() + "[]")
            .collect(Collectors.joining(", "));

    /**
     * What follows {@code INSERT INTO table [AS target]}: the columns' arrays unnested side by side, and last the
     * job_tasks id of each task (jobs.legacy_task_id, what the contract's job_tasks view returns as id).
     */
    private static final String WITH_TASK_ID = " (" + JobColumn.names(COLUMNS, "") + ", legacy_task_id)"
            + " SELECT * FROM unnest(" + ARRAYS + ", ?::int8[])";

    /** Without legacy_task_id: the plan's temporary copy of jobs may have been made before that column existed. */
    private static final String WITHOUT_TASK_ID = " (" + JobColumn.names(COLUMNS, "") + ")"
            + " SELECT * FROM unnest(" + ARRAYS + ")";

    /**
     * The online phase's drain replaces a task-like job in place: every written column but the uuid (a task-like job
     * keeps its uuid) and the purity mark, which the gateway sets and nothing takes away.
     */
    private static final String UPSERT_SET = " ON CONFLICT (legacy_task_uuid) DO UPDATE SET "
            + COLUMNS.stream().filter(c -> c != JobColumn.UUID && c != JobColumn.LEGACY_TASK_UUID)
                    .map(c -> c == JobColumn.NONDETERMINISTIC
                            ? "nondeterministic = CASE WHEN target.nondeterministic THEN true ELSE EXCLUDED.nondeterministic END"
                            : c.column() + " = EXCLUDED." + c.column())
                    .collect(Collectors.joining(", "));

    /** A task-like job to write and the job_tasks id of the task it carries (jobs.legacy_task_id). */
    record Row(long taskId, TaskLikeJob job) { }

    private final Connection connection;
    /** Whether the table has legacy_task_id, bound from {@link Row#taskId()}. */
    private final boolean taskId;
    /** ON CONFLICT (legacy_task_uuid) DO NOTHING; null when the table has no such unique index to name. */
    private final String insertOwnConflict;
    /** ON CONFLICT DO NOTHING: every unique index an arbiter. */
    private final String insertAnyConflict;
    private final String upsert;

    TaskLikeJobWriter(Connection connection) {
        this(connection, "jobs");
    }

    /** Writes into {@code table} instead of jobs: the plan times a sample against a temporary copy. */
    TaskLikeJobWriter(Connection connection, String table) {
        this.connection = connection;
        this.taskId = hasLegacyTaskId(connection, table);
        String rows = taskId ? WITH_TASK_ID : WITHOUT_TASK_ID;
        this.insertOwnConflict = hasUniqueLegacyTaskUuid(connection, table)
                ? "INSERT INTO " + table + rows + " ON CONFLICT (legacy_task_uuid) DO NOTHING" : null;
        this.insertAnyConflict = "INSERT INTO " + table + rows + " ON CONFLICT DO NOTHING";
        this.upsert = "INSERT INTO " + table + " AS target" + rows + UPSERT_SET
                + (taskId ? ", legacy_task_id = EXCLUDED.legacy_task_id" : "");
    }

    /** Whether {@code table} has jobs.legacy_task_id (added by a later expand changeSet; the plan's copy may lack it). */
    static boolean hasLegacyTaskId(Connection connection, String table) {
        try (PreparedStatement st = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname = 'legacy_task_id' AND attnum > 0 AND NOT attisdropped)")) {
            st.setString(1, table);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the columns of " + table + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code table} has a unique index on legacy_task_uuid alone, which ON CONFLICT can name. */
    private static boolean hasUniqueLegacyTaskUuid(Connection connection, String table) {
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                               WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indisvalid AND i.indnkeyatts = 1
                                 AND i.indpred IS NULL AND i.indexprs IS NULL AND a.attname = 'legacy_task_uuid')""")) {
            st.setString(1, table);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the indexes of " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * Inserts the jobs in one statement; returns how many were new. A row that conflicts on any unique index is
     * skipped: besides its own task-like job, the only other conflict is with the task-like job a task had under an
     * earlier uuid (jobs.legacy_task_id), which exists only when the task was renamed after it was carried, and then
     * the online phase has captured the rename and its drain replaces that row.
     *
     * <p>The statement first names only legacy_task_uuid as its arbiter: with every unique index an arbiter, PostgreSQL
     * probes all five before each row, which measured 1.1-1.2 s more per 190,000 rows of a single backend
     * (docs/benchmarks.md, "Where the time goes"). A conflict on another unique index is rare (a renamed task, a uuid
     * taken by a concurrent writer since the batch's lookup); it fails that statement, which is rolled back to its
     * savepoint and run again with every unique index an arbiter.
     */
    int insert(List<Row> jobs) throws SQLException {
        if (insertOwnConflict == null || jobs.isEmpty()) {
            return write(insertAnyConflict, jobs);
        }
        Savepoint savepoint = connection.setSavepoint();
        int written;
        try {
            written = write(insertOwnConflict, jobs);
        } catch (SQLException e) {
            if (!PSQLState.UNIQUE_VIOLATION.getState().equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint);
            written = write(insertAnyConflict, jobs);
        }
        connection.releaseSavepoint(savepoint);
        return written;
    }

    /**
     * The online phase's drain: inserts the jobs, or replaces in place the task-like job their legacy task uuid
     * already has, keeping its row id, its uuid and the gateway's purity mark ({@code nondeterministic = true} is
     * never taken away). Returns how many rows were written.
     */
    int upsert(List<Row> jobs) throws SQLException {
        return write(upsert, jobs);
    }

    private int write(String sql, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        List<TaskLikeJob> jobs = rows.stream().map(Row::job).toList();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            int index = 0;
            for (JobColumn column : COLUMNS) {
                st.setObject(++index, values(column, jobs));
            }
            if (taskId) {
                st.setObject(++index, rows.stream().map(Row::taskId).toArray(Long[]::new));
            }
            return st.executeUpdate();
        }
    }

    /**
     * One column's values as a typed Java array, which pgjdbc sends in PostgreSQL's binary array format: no quoting
     * and escaping on this side, no array_in parsing on the server's.
     */
    private static Object values(JobColumn column, List<TaskLikeJob> jobs) {
        Object[] values = switch (column.type()) {
            case VARCHAR, LONG_VARCHAR, TEXT, TIMESTAMP -> new String[jobs.size()];
            case BOOLEAN -> new Boolean[jobs.size()];
            case INTEGER -> new Integer[jobs.size()];
            case BIGINT -> new Long[jobs.size()];
            case DOUBLE -> new Double[jobs.size()];
        };
        for (int k = 0; k < values.length; k++) {
            Object value = column.valueOf(jobs.get(k));
            // Timestamps travel as text, cast by the statement, so that 'infinity' reaches PostgreSQL as it spells it.
            values[k] = value instanceof LocalDateTime time ? SqlTimestamps.format(time) : value;
        }
        return values;
    }

    /**
     * Points every task-like job at its creator's task-like job, once the walk has written them all: the creator's
     * uuid is derived while the walk goes ({@link BatchMapper}), and this corrects the few where that guess was wrong
     * (the creator's uuid collided and was replaced, or the creator was quarantined: then NULL) and fills the few
     * still NULL (a creator carried after them by an earlier mapper that did not derive). Reads every task-like job
     * with a creator but writes only those rows.
     */
    int resolveLateCreators() throws SQLException {
        String unknown = """
                UPDATE jobs j SET created_by_job_uuid = c.uuid
                FROM jobs c
                WHERE j.legacy_created_by_task_uuid IS NOT NULL AND j.created_by_job_uuid IS NULL
                  AND c.legacy_task_uuid = j.legacy_created_by_task_uuid
                """;
        String wrong = """
                UPDATE jobs j SET created_by_job_uuid = (SELECT c.uuid FROM jobs c WHERE c.legacy_task_uuid = j.legacy_created_by_task_uuid)
                WHERE j.legacy_created_by_task_uuid IS NOT NULL AND j.created_by_job_uuid IS NOT NULL
                  AND j.legacy_task_uuid IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM jobs d
                                  WHERE d.uuid = j.created_by_job_uuid AND d.legacy_task_uuid = j.legacy_created_by_task_uuid)
                """;
        try (PreparedStatement a = connection.prepareStatement(unknown); PreparedStatement b = connection.prepareStatement(wrong)) {
            return a.executeUpdate() + b.executeUpdate();
        }
    }
}
