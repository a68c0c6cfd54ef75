package org.arvados.tasksasjobs.backfill;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import org.arvados.tasksasjobs.mapping.ParentJob;
import org.arvados.tasksasjobs.mapping.TaskRow;

/**
 * The columns a task is mapped from, once for every reader of job_tasks (the backfill, the savings replay): a task
 * aliased {@code t} and its parent job aliased {@code p}, read back as core's {@link TaskRow} and {@link ParentJob}.
 */
public final class TaskSourceRows {

    /** The select list over {@code job_tasks t} and {@code jobs p}; a missing parent reads as null. */
    public static final String COLUMNS = """
            t.id, t.uuid, t.owner_uuid, t.modified_by_client_uuid, t.modified_by_user_uuid, t.modified_at,
                   t.job_uuid, t.sequence, t.parameters, t.output, t.progress, t.success, t.created_at, t.updated_at,
                   t.created_by_job_task_uuid, t.qsequence, t.started_at, t.finished_at,
                   p.uuid AS p_uuid, p.state AS p_state, p.running AS p_running, p.success AS p_success,
                   p.cancelled_at AS p_cancelled_at, p.script AS p_script, p.script_version AS p_script_version,
                   p.supplied_script_version AS p_supplied_script_version, p.repository AS p_repository,
                   p.docker_image_locator AS p_docker_image_locator, p.arvados_sdk_version AS p_arvados_sdk_version,
                   p.runtime_constraints AS p_runtime_constraints, p.nondeterministic AS p_nondeterministic,
                   p.log AS p_log, p.script_parameters AS p_script_parameters""";

    private TaskSourceRows() {
    }

    public static TaskRow task(ResultSet rs) throws SQLException {
        return new TaskRow(
                rs.getLong("id"),
                rs.getString("uuid"),
                rs.getString("owner_uuid"),
                rs.getString("modified_by_client_uuid"),
                rs.getString("modified_by_user_uuid"),
                rs.getObject("modified_at", LocalDateTime.class),
                rs.getString("job_uuid"),
                rs.getObject("sequence", Integer.class),
                rs.getString("parameters"),
                rs.getString("output"),
                rs.getObject("progress", Double.class),
                rs.getObject("success", Boolean.class),
                rs.getObject("created_at", LocalDateTime.class),
                rs.getObject("updated_at", LocalDateTime.class),
                rs.getString("created_by_job_task_uuid"),
                rs.getObject("qsequence", Long.class),
                rs.getObject("started_at", LocalDateTime.class),
                rs.getObject("finished_at", LocalDateTime.class));
    }

    /** The parent job, or null when the task has none. */
    public static ParentJob parent(ResultSet rs) throws SQLException {
        return rs.getString("p_uuid") == null ? null : new ParentJob(
                rs.getString("p_uuid"),
                rs.getString("p_state"),
                rs.getObject("p_running", Boolean.class),
                rs.getObject("p_success", Boolean.class),
                rs.getObject("p_cancelled_at", LocalDateTime.class),
                rs.getString("p_script"),
                rs.getString("p_script_version"),
                rs.getString("p_supplied_script_version"),
                rs.getString("p_repository"),
                rs.getString("p_docker_image_locator"),
                rs.getString("p_arvados_sdk_version"),
                rs.getString("p_runtime_constraints"),
                rs.getObject("p_nondeterministic", Boolean.class),
                rs.getString("p_log"),
                rs.getString("p_script_parameters"));
    }
}
