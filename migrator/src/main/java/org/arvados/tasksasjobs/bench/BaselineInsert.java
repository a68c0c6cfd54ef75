package org.arvados.tasksasjobs.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The yardstick: every task written as a task-like job by one {@code INSERT ... SELECT} inside PostgreSQL, the
 * merge done with jsonb {@code ||} and the digest with {@code md5()}. It is what PostgreSQL itself can write on
 * this schema, not the contract: jsonb's text is not canonical JSON (key order, spaces), YAML-era rows get an
 * empty hash, there is no quarantine and no uuid collision rule. Only a measure of speed. It writes legacy_task_id
 * as the backfill does, so expand's trigger that assigns it to other writers' rows never fires.
 */
public final class BaselineInsert {

    static final String SQL = """
            INSERT INTO jobs (uuid, owner_uuid, modified_by_client_uuid, modified_by_user_uuid, modified_at, created_at,
                updated_at, started_at, finished_at, script, script_version, supplied_script_version, repository,
                docker_image_locator, arvados_sdk_version, runtime_constraints, nondeterministic, script_parameters,
                script_parameters_digest, state, running, success, output, log, priority, parent_job_uuid,
                legacy_task_uuid, legacy_task_id, task_sequence, task_qsequence, task_progress, task_parameters, task_output)
            SELECT substr(t.uuid, 1, 5) || '-8i9sb-' || substr(t.uuid, 13), t.owner_uuid, t.modified_by_client_uuid,
                t.modified_by_user_uuid, t.modified_at, t.created_at, t.updated_at, t.started_at, t.finished_at,
                p.script, p.script_version, p.supplied_script_version, p.repository, p.docker_image_locator,
                p.arvados_sdk_version, p.runtime_constraints, p.nondeterministic, m.merged, md5(m.merged),
                s.state, s.state = 'Running', CASE s.state WHEN 'Complete' THEN true WHEN 'Failed' THEN false
                    WHEN 'Cancelled' THEN false END,
                CASE WHEN t.output IS NULL OR t.output ~ '^[0-9a-f]{32}(\\+\\S+)*\\n?$' THEN NULL
                    ELSE md5(t.output) || '+' || octet_length(t.output) END,
                p.log, 0, t.job_uuid, t.uuid, t.id, t.sequence, t.qsequence, t.progress, t.parameters, t.output
            FROM job_tasks t
            JOIN jobs p ON p.uuid = t.job_uuid
            CROSS JOIN LATERAL (SELECT ((CASE WHEN p.script_parameters LIKE '{%' THEN p.script_parameters::jsonb
                                              ELSE '{}'::jsonb END)
                                     || (CASE WHEN t.parameters LIKE '{%' THEN t.parameters::jsonb
                                              ELSE '{}'::jsonb END))::text AS merged) m
            CROSS JOIN LATERAL (SELECT CASE WHEN t.success THEN 'Complete' WHEN NOT t.success THEN 'Failed'
                                            WHEN p.state IN ('Queued', 'Running') AND t.started_at IS NOT NULL THEN 'Running'
                                            WHEN p.state IN ('Queued', 'Running') THEN 'Queued'
                                            ELSE 'Cancelled' END AS state) s
            WHERE t.uuid IS NOT NULL
            ON CONFLICT DO NOTHING
            """;

    private BaselineInsert() {
    }

    /** Runs the statement in one transaction; returns the rows written. */
    public static long run(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            long rows = st.executeLargeUpdate(SQL);
            connection.commit();
            return rows;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
