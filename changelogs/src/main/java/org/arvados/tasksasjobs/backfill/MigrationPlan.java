package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;

/**
 * The dry run behind {@code plan}: reads every task the next backfill would handle, maps it exactly as the
 * backfill would, and counts the outcomes; then times writing a sample into a temporary copy of jobs (with the
 * same indexes) inside a transaction it rolls back. Changes nothing.
 */
public final class MigrationPlan {

    private static final int SAMPLE_ROWS = 2000;
    private static final int EXAMPLES_PER_REASON = 3;

    private final Connection connection;
    private final TaskJobMapping mapping;
    private final BackfillSettings settings;

    public MigrationPlan(Connection connection, TaskJobMapping mapping, BackfillSettings settings) {
        this.connection = connection;
        this.mapping = mapping;
        this.settings = settings;
    }

    /** What the plan found. */
    public record Report(boolean expanded, long tasks, long jobs, long taskLikeJobs, long quarantined,
                         long toExamine, long examined, long toCarry, Map<String, Long> toQuarantine, long uuidCollisions,
                         List<Example> examples, Duration surveyTime, double writeRowsPerSecond) {

        public Report {
            toQuarantine = Map.copyOf(toQuarantine);
            examples = List.copyOf(examples);
        }

        /** Rows per second of reading and mapping, as measured. */
        public double mapRowsPerSecond() {
            double s = surveyTime.toNanos() / 1e9;
            return s <= 0 ? 0 : examined / s;
        }

        /** Time a migrate would take: reading and mapping as measured, plus writing at the sampled rate. */
        public Duration estimate() {
            double seconds = 0;
            if (mapRowsPerSecond() > 0) {
                seconds += examined / mapRowsPerSecond();
            }
            if (writeRowsPerSecond > 0) {
                seconds += toCarry / writeRowsPerSecond;
            }
            return Duration.ofMillis((long) (seconds * 1000));
        }
    }

    /** A task that would be quarantined (the first few of each reason). */
    public record Example(long taskId, String taskUuid, String reason, String detail) { }

    public Report survey() throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            return surveyInTransactions();
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    private Report surveyInTransactions() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
        }
        SchemaState schema = SchemaState.read(connection);
        boolean expanded = schema.expanded();
        long resumeAfter = expanded && schema.checkpointTable() ? resumePoint() : Long.MIN_VALUE;
        long tasks = scalar("SELECT count(*) FROM job_tasks");
        long jobs = scalar(expanded ? "SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NULL" : "SELECT count(*) FROM jobs");
        long taskLikeJobs = expanded ? scalar("SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL") : 0;
        long quarantined = schema.quarantineTable() ? scalar("SELECT count(*) FROM job_tasks_quarantine") : 0;
        long upper = scalar("SELECT coalesce(max(id), 0) FROM job_tasks");
        long toExamine = scalar("SELECT count(*) FROM job_tasks WHERE id > ?", resumeAfter);

        TaskBatchReader reader = new TaskBatchReader(connection, settings.batchSize(), settings.maxBatchBytes(), expanded);
        BatchMapper mapper = new BatchMapper(connection, mapping);
        long start = System.nanoTime();
        long examined = 0;
        long toCarry = 0;
        long collisions = 0;
        Map<String, Long> byReason = new HashMap<>();
        List<Example> examples = new ArrayList<>();
        List<TaskLikeJobWriter.Row> sample = new ArrayList<>();
        long last = resumeAfter;
        while (true) {
            TaskBatch batch = reader.next(last, upper);
            if (batch.isEmpty()) {
                break;
            }
            BatchMapper.Mapped mapped = mapper.map(batch);
            examined += batch.rows().size();
            toCarry += mapped.jobs().size();
            collisions += mapped.uuidCollisions();
            for (QuarantineWriter.Entry e : mapped.quarantined()) {
                long seen = byReason.merge(e.reason(), 1L, Long::sum);
                if (seen <= EXAMPLES_PER_REASON) {
                    examples.add(new Example(e.taskId(), e.taskUuid(), e.reason(), e.detail()));
                }
            }
            for (TaskLikeJobWriter.Row row : mapped.jobs()) {
                if (sample.size() < SAMPLE_ROWS) {
                    sample.add(row);
                }
            }
            last = batch.lastId();
        }
        Duration surveyTime = Duration.ofNanos(System.nanoTime() - start);
        connection.rollback();
        double writeRate = timeSampleWrite(sample, expanded);
        return new Report(expanded, tasks, jobs, taskLikeJobs, quarantined, toExamine, examined, toCarry, byReason,
                collisions, examples, surveyTime, writeRate);
    }

    /** Rows per second of writing the sample into a temporary copy of jobs with all its indexes; rolled back. */
    private double timeSampleWrite(List<TaskLikeJobWriter.Row> sample, boolean expanded) throws SQLException {
        if (sample.isEmpty()) {
            return 0;
        }
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TEMP TABLE tasks_as_jobs_plan_sample (LIKE jobs INCLUDING DEFAULTS INCLUDING INDEXES) ON COMMIT DROP");
            if (!expanded) {
                // The expand phase's columns, from the column table; legacy_task_uuid unique, as expand makes it.
                st.execute("ALTER TABLE tasks_as_jobs_plan_sample " + JobColumn.addedByExpandPhase().stream()
                        .map(c -> "ADD COLUMN " + c.column() + " " + c.type().ddl()
                                + (c == JobColumn.LEGACY_TASK_UUID ? " UNIQUE" : ""))
                        .collect(Collectors.joining(", ")));
                st.execute("CREATE INDEX ON tasks_as_jobs_plan_sample (parent_job_uuid)");
            }
        }
        TaskLikeJobWriter writer = new TaskLikeJobWriter(connection, "tasks_as_jobs_plan_sample");
        long start = System.nanoTime();
        writer.insert(sample);
        double seconds = (System.nanoTime() - start) / 1e9;
        connection.rollback();
        return seconds <= 0 ? 0 : sample.size() / seconds;
    }

    private long resumePoint() throws SQLException {
        Optional<Checkpoints.Run> unfinished = new Checkpoints(connection).unfinished();
        if (unfinished.isPresent()) {
            return unfinished.get().lastTaskId();
        }
        long finished = scalar("SELECT coalesce(max(upper_bound), -9223372036854775808) FROM tasks_as_jobs_checkpoint WHERE finished_at IS NOT NULL");
        return finished;
    }

    private long scalar(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
