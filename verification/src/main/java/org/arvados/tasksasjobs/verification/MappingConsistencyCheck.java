package org.arvados.tasksasjobs.verification;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The task uuid to task-like job mapping is a lookup and its references resolve: each legacy_task_uuid is carried
 * once (checked even though a unique index normally guarantees it: the index can have been dropped), a task-like
 * job's uuid has the Job shape, its parent_job_uuid names a top-level job, and its created_by_job_uuid, when set,
 * names the task-like job of the task recorded in legacy_created_by_task_uuid.
 *
 * <p>Two statements: a grouping of task-like jobs by legacy_task_uuid, and one pass over task-like jobs joined to
 * their parent and creator by uuid (a unique key), which also counts them. The few rows named are then read again to
 * describe them.
 */
public final class MappingConsistencyCheck {

    static final String NAME = "mapping-consistency";
    static final String DESCRIPTION = "Each task is carried by at most one task-like job, whose uuid is a Job uuid, whose"
            + " parent_job_uuid names a top-level job and whose created_by_job_uuid names its creator's task-like job";

    private static final int BAD_UUID = 1;
    private static final int BAD_PARENT = 2;
    private static final int BAD_CREATOR = 3;

    private static final String DUPLICATES = """
            SELECT d.legacy_task_uuid, d.n, count(*) OVER () AS total
            FROM (SELECT legacy_task_uuid, count(*) AS n FROM jobs WHERE legacy_task_uuid IS NOT NULL
                  GROUP BY legacy_task_uuid HAVING count(*) > 1) d
            ORDER BY d.legacy_task_uuid LIMIT %d
            """.formatted(Differences.FIRST);

    private static final String DUPLICATE_JOBS = """
            SELECT legacy_task_uuid, string_agg(uuid, ', ' ORDER BY uuid) FROM jobs WHERE legacy_task_uuid = ANY(?)
            GROUP BY legacy_task_uuid
            """;

    /**
     * The first rule a task-like job {@code j} breaks, or NULL; {@code p} is the top-level job its parent_job_uuid
     * names, {@code c} the job its created_by_job_uuid names.
     */
    private static final String BROKEN = """
            CASE WHEN j.uuid IS NULL OR j.uuid !~ '%s' THEN %d
                 WHEN p.id IS NULL THEN %d
                 WHEN j.created_by_job_uuid IS NOT NULL AND (c.id IS NULL OR c.legacy_task_uuid IS NULL
                      OR c.legacy_task_uuid IS DISTINCT FROM j.legacy_created_by_task_uuid) THEN %d
            END""".formatted(ContractCheck.JOB_UUID_PATTERN, BAD_UUID, BAD_PARENT, BAD_CREATOR);

    // Only top-level jobs can be parents: the planner can then hash the few of them instead of probing all jobs.
    private static final String TASK_LIKE_JOBS = """
            FROM jobs j
            LEFT JOIN jobs p ON p.uuid = j.parent_job_uuid AND p.parent_job_uuid IS NULL AND p.legacy_task_uuid IS NULL
            LEFT JOIN jobs c ON c.uuid = j.created_by_job_uuid
            WHERE j.legacy_task_uuid IS NOT NULL
            """;

    private static final String DETAIL = """
            SELECT %s AS broken, j.uuid, j.legacy_task_uuid, j.parent_job_uuid,
                   EXISTS (SELECT 1 FROM jobs a WHERE a.uuid = j.parent_job_uuid) AS parent_exists,
                   j.created_by_job_uuid, j.legacy_created_by_task_uuid, c.id IS NOT NULL AS creator_exists,
                   c.legacy_task_uuid AS creator_task_uuid
            %s
              AND j.id = ANY(?)
            ORDER BY j.legacy_task_uuid, j.id
            """.formatted(BROKEN, TASK_LIKE_JOBS);

    private final Connection connection;

    public MappingConsistencyCheck(Connection connection) {
        this.connection = connection;
    }

    public CheckResult run() throws SQLException {
        long start = System.nanoTime();
        String notMigrated = Sql.notMigrated(connection);
        if (notMigrated != null) {
            return CheckResult.cannotRun(NAME, DESCRIPTION, notMigrated, start);
        }
        Differences differences = new Differences();
        duplicates(differences);
        RowJudgement.Verdict verdict = RowJudgement.judge(connection, BROKEN, TASK_LIKE_JOBS);
        differences.count(verdict.broken());
        if (!verdict.first().isEmpty()) {
            Array ids = connection.createArrayOf("int8", verdict.first().toArray());
            Sql.forEach(connection, DETAIL, st -> st.setArray(1, ids), rs -> differences.describe(describe(rs)));
        }
        return CheckResult.of(NAME, DESCRIPTION, verdict.examined(), differences, start);
    }

    private void duplicates(Differences differences) throws SQLException {
        Map<String, Long> carriedTimes = new LinkedHashMap<>();
        long[] total = {0};
        Sql.forEach(connection, DUPLICATES, Sql.NO_PARAMETERS, rs -> {
            carriedTimes.put(rs.getString(1), rs.getLong(2));
            total[0] = rs.getLong(3);
        });
        differences.count(total[0]);
        if (carriedTimes.isEmpty()) {
            return;
        }
        Map<String, String> jobs = new HashMap<>();
        Array uuids = connection.createArrayOf("varchar", carriedTimes.keySet().toArray());
        Sql.forEach(connection, DUPLICATE_JOBS, st -> st.setArray(1, uuids), rs -> jobs.put(rs.getString(1), rs.getString(2)));
        carriedTimes.forEach((task, n) -> differences.describe("task " + Shown.uuid(task) + " is carried " + n
                + " times: task-like jobs " + jobs.get(task)));
    }

    private static String describe(ResultSet rs) throws SQLException {
        String job = "task-like job " + Shown.uuid(rs.getString("uuid")) + " (task " + Shown.uuid(rs.getString("legacy_task_uuid")) + ")";
        String parent = rs.getString("parent_job_uuid");
        String creator = rs.getString("created_by_job_uuid");
        String creatorTask = Shown.uuid(rs.getString("legacy_created_by_task_uuid"));
        return switch (rs.getInt("broken")) {
            case BAD_UUID -> job + ": uuid " + Shown.value(rs.getString("uuid")) + " is not <cluster>-8i9sb-<15 characters>";
            case BAD_PARENT -> parent == null ? job + ": parent_job_uuid is NULL"
                    : !rs.getBoolean("parent_exists") ? job + ": parent_job_uuid " + Shown.uuid(parent) + " names no job"
                    : job + ": parent_job_uuid " + Shown.uuid(parent) + " names a task-like job, not a top-level job";
            case BAD_CREATOR -> !rs.getBoolean("creator_exists")
                    ? job + ": created_by_job_uuid " + Shown.uuid(creator) + " names no job (legacy_created_by_task_uuid "
                            + creatorTask + ")"
                    : rs.getString("creator_task_uuid") == null
                    ? job + ": created_by_job_uuid " + Shown.uuid(creator) + " names a top-level job, not the task-like job of"
                            + " task " + creatorTask
                    : job + ": created_by_job_uuid " + Shown.uuid(creator) + " is the task-like job of task "
                            + Shown.uuid(rs.getString("creator_task_uuid")) + ", but legacy_created_by_task_uuid is " + creatorTask;
            default -> job + ": consistent on a second look (was it written meanwhile?)";
        };
    }
}
