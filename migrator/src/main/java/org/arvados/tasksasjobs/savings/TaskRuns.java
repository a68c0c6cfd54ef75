package org.arvados.tasksasjobs.savings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.function.LongConsumer;
import org.arvados.tasksasjobs.backfill.TaskSourceRows;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.MappingOutcome;
import org.arvados.tasksasjobs.mapping.RandomUuidAllocator;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.arvados.tasksasjobs.reuse.SavingsReplay;
import org.arvados.tasksasjobs.reuse.TaskIdentity;
import org.arvados.tasksasjobs.reuse.TaskRun;

/**
 * Every task of a database into a {@link SavingsReplay}, in creation order, through one cursor: before the
 * migration the job_tasks rows mapped by the backfill's own mapping (a task it would quarantine is skipped, as it
 * never becomes a task-like job), after it the task-like jobs. The same history gives the same runs either way.
 */
public final class TaskRuns {

    /** How many tasks were replayed, and how many job_tasks rows the mapping would quarantine (skipped). */
    public record Counts(long replayed, long skipped) {
    }

    private static final String TASKS = """
            SELECT ${columns}
            FROM job_tasks t
            LEFT JOIN jobs p ON p.uuid = t.job_uuid ${real_parent}
            ORDER BY t.created_at, t.id
            """.replace("${columns}", TaskSourceRows.COLUMNS);

    private static final String TASK_LIKE_JOBS = """
            SELECT c.legacy_task_uuid, c.uuid, c.parent_job_uuid, c.script, c.repository, c.script_version,
                   c.docker_image_locator, c.arvados_sdk_version, c.script_parameters_digest, c.state, c.output,
                   COALESCE(c.log, p.log) AS log, c.nondeterministic, c.created_at, c.started_at, c.finished_at
            FROM jobs c
            LEFT JOIN jobs p ON p.uuid = c.parent_job_uuid
            WHERE c.parent_job_uuid IS NOT NULL
            ORDER BY c.created_at, c.id
            """;

    private static final int FETCH_SIZE = 2000;

    private final Connection connection;
    private final TaskJobMapping mapping;

    /** @param connection autocommit off (the cursor needs a transaction); nothing is written */
    public TaskRuns(Connection connection, YamlDecoder yaml, InheritPolicy policy) {
        this.connection = connection;
        // The allocator is never asked: no uuid counts as taken here, so every task keeps its derived one.
        this.mapping = new TaskJobMapping(new SerializedHashReader(yaml), policy,
                new RandomUuidAllocator(new java.util.Random(0)));
    }

    /** How many rows a replay will read: job_tasks rows, or task-like jobs; for a progress bar. */
    public long count(boolean taskLikeJobs) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(taskLikeJobs
                ? "SELECT count(*) FROM jobs WHERE parent_job_uuid IS NOT NULL" : "SELECT count(*) FROM job_tasks");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The job_tasks rows, mapped as the backfill maps them; {@code expanded}: jobs has task-like jobs to skip. */
    public Counts replayTasks(SavingsReplay replay, boolean expanded, LongConsumer progress) throws SQLException {
        long replayed = 0;
        long skipped = 0;
        String sql = TASKS.replace("${real_parent}", expanded ? "AND p.legacy_task_uuid IS NULL" : "");
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    MappingOutcome outcome = mapping.map(TaskSourceRows.task(rs), TaskSourceRows.parent(rs), null,
                            uuid -> false);
                    if (outcome instanceof MappingOutcome.Mapped mapped && mapped.job().createdAt() != null) {
                        replay.accept(run(mapped.job()));
                        replayed++;
                    } else {
                        skipped++;
                    }
                    progress.accept(replayed + skipped);
                }
            }
        }
        return new Counts(replayed, skipped);
    }

    /** The task-like jobs, as the backfill (or the gateway) wrote them. */
    public Counts replayTaskLikeJobs(SavingsReplay replay, LongConsumer progress) throws SQLException {
        long replayed = 0;
        try (PreparedStatement st = connection.prepareStatement(TASK_LIKE_JOBS)) {
            st.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String uuid = rs.getString("legacy_task_uuid");
                    replay.accept(new TaskRun(uuid != null ? uuid : rs.getString("uuid"),
                            rs.getString("parent_job_uuid"), rs.getString("script"),
                            TaskIdentity.of(rs.getString("repository"), rs.getString("script"),
                                    rs.getString("script_version"), rs.getString("docker_image_locator"),
                                    rs.getString("arvados_sdk_version"), rs.getString("script_parameters_digest")),
                            rs.getString("state"), rs.getString("output"), rs.getString("log"),
                            Boolean.TRUE.equals(rs.getObject("nondeterministic", Boolean.class)),
                            rs.getObject("created_at", LocalDateTime.class),
                            rs.getObject("started_at", LocalDateTime.class),
                            rs.getObject("finished_at", LocalDateTime.class)));
                    progress.accept(++replayed);
                }
            }
        }
        return new Counts(replayed, 0);
    }

    private static TaskRun run(TaskLikeJob job) {
        return new TaskRun(job.legacyTaskUuid(), job.parentJobUuid(), job.script(),
                TaskIdentity.of(job.repository(), job.script(), job.scriptVersion(), job.dockerImageLocator(),
                        job.arvadosSdkVersion(), job.scriptParametersDigest()),
                job.state().text(), job.output(), job.log(), Boolean.TRUE.equals(job.nondeterministic()),
                job.createdAt(), job.startedAt(), job.finishedAt());
    }
}
