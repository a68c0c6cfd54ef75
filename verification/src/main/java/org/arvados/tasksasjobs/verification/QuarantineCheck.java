package org.arvados.tasksasjobs.verification;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The quarantine is sound: every quarantine row still stands for its task in job_tasks (same id, same uuid), no
 * quarantined task is also carried as a task-like job, and every job_tasks row is either carried or quarantined.
 * One statement; each kind of problem is an anti-join or a join over indexed columns.
 */
public final class QuarantineCheck {

    static final String NAME = "quarantine";
    static final String DESCRIPTION = "Every job_tasks row is carried as a task-like job or quarantined, never both, and"
            + " every quarantined task is still in job_tasks";

    private static final int GONE = 1;
    private static final int ALSO_CARRIED = 2;
    private static final int UNCOVERED = 3;

    private static final String PROBLEMS = """
            WITH problems AS (
                SELECT %d AS kind, q.task_id, q.task_uuid, q.reason, t.id IS NOT NULL AS present, t.uuid AS uuid_now,
                       NULL::varchar AS job_uuid
                FROM job_tasks_quarantine q LEFT JOIN ${job_tasks} t ON t.id = q.task_id
                WHERE t.id IS NULL OR t.uuid IS DISTINCT FROM q.task_uuid
                UNION ALL
                SELECT %d, q.task_id, q.task_uuid, q.reason, true, NULL, j.uuid
                FROM job_tasks_quarantine q JOIN jobs j ON j.legacy_task_uuid = q.task_uuid
                UNION ALL
                SELECT %d, t.id, t.uuid, NULL, true, t.uuid, NULL
                FROM ${job_tasks} t
                WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.legacy_task_uuid = t.uuid)
                  AND NOT EXISTS (SELECT 1 FROM job_tasks_quarantine q WHERE q.task_id = t.id)
            )
            SELECT (SELECT count(*) FROM ${job_tasks}) + (SELECT count(*) FROM job_tasks_quarantine) AS examined, p.*
            FROM (SELECT 1) one
            LEFT JOIN (SELECT problems.*, count(*) OVER () AS total FROM problems ORDER BY kind, task_id LIMIT %d) p ON true
            """.formatted(GONE, ALSO_CARRIED, UNCOVERED, Differences.FIRST);

    private final Connection connection;

    public QuarantineCheck(Connection connection) {
        this.connection = connection;
    }

    public CheckResult run() throws SQLException {
        long start = System.nanoTime();
        String notMigrated = Sql.notMigrated(connection);
        if (notMigrated != null) {
            return CheckResult.cannotRun(NAME, DESCRIPTION, notMigrated, start);
        }
        Differences differences = new Differences();
        long[] examined = {0};
        long[] total = {0};
        Sql.forEach(connection, PROBLEMS, Sql.NO_PARAMETERS, rs -> {
            examined[0] = rs.getLong("examined");
            if (rs.getObject("kind") == null) {
                return;
            }
            total[0] = rs.getLong("total");
            long id = rs.getLong("task_id");
            String uuid = Shown.uuid(rs.getString("task_uuid"));
            String reason = rs.getString("reason");
            differences.describe(switch (rs.getInt("kind")) {
                case GONE -> rs.getBoolean("present")
                        ? "quarantined task " + uuid + " (job_tasks id " + id + ", " + reason + "): job_tasks id " + id
                                + " now has uuid " + Shown.value(rs.getString("uuid_now"))
                        : "quarantined task " + uuid + " (job_tasks id " + id + ", " + reason + "): gone from job_tasks";
                case ALSO_CARRIED -> "task " + uuid + " (job_tasks id " + id + ") is quarantined (" + reason
                        + ") and also carried as task-like job " + rs.getString("job_uuid");
                default -> "task " + uuid + " (job_tasks id " + id + ") is neither carried as a task-like job nor quarantined";
            });
        });
        differences.count(total[0]);
        return CheckResult.of(NAME, DESCRIPTION, examined[0], differences, start);
    }
}
