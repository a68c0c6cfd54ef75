package org.arvados.tasksasjobs.backfill;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Function;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;

/**
 * Writes task-like jobs a batch at a time: one INSERT ... SELECT FROM unnest(arrays) per batch (one round trip,
 * one plan), idempotent through the unique index on legacy_task_uuid. A row that conflicts on any unique index is
 * skipped: besides its own task-like job, the only other conflict is with the task-like job a task had under an
 * earlier uuid (jobs.legacy_task_id), which exists only when the task was renamed after it was carried, and then the
 * online phase has captured the rename and its drain replaces that row.
 */
final class TaskLikeJobWriter implements BatchWriter {

    private static final String INSERT = """
            INSERT INTO %s (uuid, owner_uuid, modified_by_client_uuid, modified_by_user_uuid,
                modified_at, created_at, updated_at, started_at, finished_at,
                script, script_version, supplied_script_version, repository, docker_image_locator,
                arvados_sdk_version, runtime_constraints, nondeterministic,
                script_parameters, script_parameters_digest, state, running, success,
                output, log, priority,
                parent_job_uuid, legacy_task_uuid, task_sequence, task_qsequence,
                created_by_job_uuid, legacy_created_by_task_uuid, task_progress, task_parameters, task_output%s)
            SELECT *%s FROM unnest(
                ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                ?::timestamp[], ?::timestamp[], ?::timestamp[], ?::timestamp[], ?::timestamp[],
                ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                ?::varchar[], ?::text[], ?::boolean[],
                ?::text[], ?::varchar[], ?::varchar[], ?::boolean[], ?::boolean[],
                ?::varchar[], ?::varchar[], ?::integer[],
                ?::varchar[], ?::varchar[], ?::integer[], ?::bigint[],
                ?::varchar[], ?::varchar[], ?::float8[], ?::text[], ?::text[])%s
            ON CONFLICT DO NOTHING
            """;

    private final Connection connection;
    private final String insert;

    TaskLikeJobWriter(Connection connection) {
        this(connection, "jobs");
    }

    /** Writes into {@code table} instead of jobs: the plan times a sample against a temporary copy. */
    TaskLikeJobWriter(Connection connection, String table) {
        this.connection = connection;
        this.insert = hasLegacyTaskId(connection, table)
                ? INSERT.formatted(table, ", legacy_task_id", ", (SELECT t.id FROM job_tasks t WHERE t.uuid = u.legacy_task_uuid)", UNNEST_COLUMNS)
                : INSERT.formatted(table, "", "", "");
    }

    /**
     * The unnest's column names, so the task's job_tasks id (jobs.legacy_task_id, what the contract's job_tasks view
     * returns as id) can be looked up by its uuid, which job_tasks holds unique.
     */
    private static final String UNNEST_COLUMNS = " AS u (uuid, owner_uuid, modified_by_client_uuid, modified_by_user_uuid,"
            + " modified_at, created_at, updated_at, started_at, finished_at, script, script_version, supplied_script_version,"
            + " repository, docker_image_locator, arvados_sdk_version, runtime_constraints, nondeterministic, script_parameters,"
            + " script_parameters_digest, state, running, success, output, log, priority, parent_job_uuid, legacy_task_uuid,"
            + " task_sequence, task_qsequence, created_by_job_uuid, legacy_created_by_task_uuid, task_progress, task_parameters,"
            + " task_output)";

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

    @Override
    public int insert(List<TaskLikeJob> jobs) throws SQLException {
        return write(insert, jobs);
    }

    /**
     * The online phase's drain: inserts the jobs, or replaces in place the task-like job their legacy task uuid
     * already has, keeping its row id, its uuid and the gateway's purity mark ({@code nondeterministic = true} is
     * never taken away). Returns how many rows were written.
     */
    int upsert(List<TaskLikeJob> jobs) throws SQLException {
        String sql = insert.replaceFirst("INSERT INTO (\\S+) \\(", "INSERT INTO $1 AS target (")
                .replace("ON CONFLICT DO NOTHING", UPSERT_SET
                        + (insert.contains("legacy_task_id") ? ", legacy_task_id = EXCLUDED.legacy_task_id" : ""));
        return write(sql, jobs);
    }

    private static final String UPSERT_SET = """
            ON CONFLICT (legacy_task_uuid) DO UPDATE SET
                owner_uuid = EXCLUDED.owner_uuid, modified_by_client_uuid = EXCLUDED.modified_by_client_uuid,
                modified_by_user_uuid = EXCLUDED.modified_by_user_uuid, modified_at = EXCLUDED.modified_at,
                created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, started_at = EXCLUDED.started_at,
                finished_at = EXCLUDED.finished_at, script = EXCLUDED.script, script_version = EXCLUDED.script_version,
                supplied_script_version = EXCLUDED.supplied_script_version, repository = EXCLUDED.repository,
                docker_image_locator = EXCLUDED.docker_image_locator, arvados_sdk_version = EXCLUDED.arvados_sdk_version,
                runtime_constraints = EXCLUDED.runtime_constraints,
                nondeterministic = CASE WHEN target.nondeterministic THEN true ELSE EXCLUDED.nondeterministic END,
                script_parameters = EXCLUDED.script_parameters, script_parameters_digest = EXCLUDED.script_parameters_digest,
                state = EXCLUDED.state, running = EXCLUDED.running, success = EXCLUDED.success, output = EXCLUDED.output,
                log = EXCLUDED.log, priority = EXCLUDED.priority, parent_job_uuid = EXCLUDED.parent_job_uuid,
                task_sequence = EXCLUDED.task_sequence, task_qsequence = EXCLUDED.task_qsequence,
                created_by_job_uuid = EXCLUDED.created_by_job_uuid,
                legacy_created_by_task_uuid = EXCLUDED.legacy_created_by_task_uuid, task_progress = EXCLUDED.task_progress,
                task_parameters = EXCLUDED.task_parameters, task_output = EXCLUDED.task_output""";

    private int write(String sql, List<TaskLikeJob> jobs) throws SQLException {
        if (jobs.isEmpty()) {
            return 0;
        }
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            int i = 0;
            st.setArray(++i, text(jobs, TaskLikeJob::uuid));
            st.setArray(++i, text(jobs, TaskLikeJob::ownerUuid));
            st.setArray(++i, text(jobs, TaskLikeJob::modifiedByClientUuid));
            st.setArray(++i, text(jobs, TaskLikeJob::modifiedByUserUuid));
            st.setArray(++i, timestamps(jobs, TaskLikeJob::modifiedAt));
            st.setArray(++i, timestamps(jobs, TaskLikeJob::createdAt));
            st.setArray(++i, timestamps(jobs, TaskLikeJob::updatedAt));
            st.setArray(++i, timestamps(jobs, TaskLikeJob::startedAt));
            st.setArray(++i, timestamps(jobs, TaskLikeJob::finishedAt));
            st.setArray(++i, text(jobs, TaskLikeJob::script));
            st.setArray(++i, text(jobs, TaskLikeJob::scriptVersion));
            st.setArray(++i, text(jobs, TaskLikeJob::suppliedScriptVersion));
            st.setArray(++i, text(jobs, TaskLikeJob::repository));
            st.setArray(++i, text(jobs, TaskLikeJob::dockerImageLocator));
            st.setArray(++i, text(jobs, TaskLikeJob::arvadosSdkVersion));
            st.setArray(++i, text(jobs, TaskLikeJob::runtimeConstraints));
            st.setArray(++i, array("boolean", jobs, TaskLikeJob::nondeterministic));
            st.setArray(++i, text(jobs, TaskLikeJob::scriptParameters));
            st.setArray(++i, text(jobs, TaskLikeJob::scriptParametersDigest));
            st.setArray(++i, text(jobs, j -> j.state().text()));
            st.setArray(++i, array("boolean", jobs, TaskLikeJob::running));
            st.setArray(++i, array("boolean", jobs, TaskLikeJob::success));
            st.setArray(++i, text(jobs, TaskLikeJob::output));
            st.setArray(++i, text(jobs, TaskLikeJob::log));
            st.setArray(++i, array("int4", jobs, TaskLikeJob::priority));
            st.setArray(++i, text(jobs, TaskLikeJob::parentJobUuid));
            st.setArray(++i, text(jobs, TaskLikeJob::legacyTaskUuid));
            st.setArray(++i, array("int4", jobs, TaskLikeJob::taskSequence));
            st.setArray(++i, array("int8", jobs, TaskLikeJob::taskQsequence));
            st.setArray(++i, text(jobs, TaskLikeJob::createdByJobUuid));
            st.setArray(++i, text(jobs, TaskLikeJob::legacyCreatedByTaskUuid));
            st.setArray(++i, array("float8", jobs, TaskLikeJob::taskProgress));
            st.setArray(++i, text(jobs, TaskLikeJob::taskParameters));
            st.setArray(++i, text(jobs, TaskLikeJob::taskOutput));
            return st.executeUpdate();
        }
    }

    /**
     * Points task-like jobs at their creator's task-like job where the creator was carried after them (a creator
     * with a higher id, or one in a later run). Most references are resolved as rows are written.
     */
    int resolveLateCreators() throws SQLException {
        String sql = """
                UPDATE jobs j SET created_by_job_uuid = c.uuid
                FROM jobs c
                WHERE j.legacy_created_by_task_uuid IS NOT NULL AND j.created_by_job_uuid IS NULL
                  AND c.legacy_task_uuid = j.legacy_created_by_task_uuid
                """;
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            return st.executeUpdate();
        }
    }

    private Array text(List<TaskLikeJob> jobs, Function<TaskLikeJob, String> column) throws SQLException {
        return array("text", jobs, column);
    }

    private <T> Array array(String type, List<TaskLikeJob> jobs, Function<TaskLikeJob, T> column) throws SQLException {
        Object[] values = new Object[jobs.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = column.apply(jobs.get(k));
        }
        return connection.createArrayOf(type, values);
    }

    private Array timestamps(List<TaskLikeJob> jobs, Function<TaskLikeJob, LocalDateTime> column) throws SQLException {
        return array("text", jobs, j -> SqlTimestamps.format(column.apply(j)));
    }
}
