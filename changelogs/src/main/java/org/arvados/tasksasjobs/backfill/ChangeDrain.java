package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;

/**
 * Applies the job_tasks writes that the online phase's trigger captured in {@code job_tasks_changes}, through the
 * same code as the walk ({@link TaskBatchReader}, {@link BatchMapper}, {@link TaskLikeJobWriter},
 * {@link QuarantineWriter}): one mapping, whether a task was read by the walk or written while it ran.
 *
 * <p>A batch of changes (in capture order, bounded) is one transaction: each task it names is read again; if it still
 * exists and can be carried, its task-like job is written in place (same row id and uuid, so the gateway and created
 * tasks keep pointing at it) or made; a task that is gone, renamed or quarantined now loses the task-like job of its
 * earlier uuid; its quarantine row becomes what the mapping says now; references of created tasks are re-pointed; then
 * the change rows are deleted. Applying a change twice is harmless: only the task's current row matters. The gateway's
 * purity mark ({@code nondeterministic = true}), which the mapping cannot know, is never taken away.
 */
final class ChangeDrain {

    /** The capture table of the online phase. */
    static final String TABLE = "job_tasks_changes";

    /** What one batch did: change rows applied, tasks mapped again (written or quarantined), tasks gone. */
    record Applied(int changes, int remapped, int deleted) {
        static final Applied NONE = new Applied(0, 0, 0);
    }

    private final Connection connection;
    private final TaskBatchReader reader;
    private final BatchMapper mapper;
    private final TaskLikeJobWriter writer;
    private final QuarantineWriter quarantine;
    private final int batchSize;
    private Boolean hasLegacyTaskId; // read once, on first use

    ChangeDrain(Connection connection, BatchMapper mapper, TaskBatchReader reader, TaskLikeJobWriter writer,
                QuarantineWriter quarantine, int batchSize) {
        this.connection = connection;
        this.mapper = mapper;
        this.reader = reader;
        this.writer = writer;
        this.quarantine = quarantine;
        this.batchSize = batchSize;
    }

    /** Changes captured and not applied yet. */
    long waiting() throws SQLException {
        return scalar("SELECT count(*) FROM " + TABLE);
    }

    /** The newest change captured so far (0 when none): a drain applies changes up to it, so it always ends. */
    long lastCaptured() throws SQLException {
        return scalar("SELECT coalesce(max(seq), 0) FROM " + TABLE);
    }

    /**
     * Applies, in one transaction the caller commits, up to a batch of the oldest changes captured at or before
     * {@code upTo}. Returns {@link Applied#NONE} when none is left.
     *
     * @param refuseQuarantine called with the task id of the first task that would be quarantined, before anything
     *                         is written (strict runs throw from it)
     */
    Applied applyBatch(long upTo, QuarantineGate refuseQuarantine) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        Set<Long> taskIds = new LinkedHashSet<>();
        Map<Long, Set<String>> oldUuids = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT seq, task_id, old_uuid FROM " + TABLE + " WHERE seq <= ? ORDER BY seq LIMIT ?")) {
            st.setLong(1, upTo);
            st.setInt(2, batchSize);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                    long id = rs.getLong(2);
                    taskIds.add(id);
                    String old = rs.getString(3);
                    if (old != null) {
                        oldUuids.computeIfAbsent(id, k -> new HashSet<>()).add(old);
                    }
                }
            }
        }
        if (seqs.isEmpty()) {
            return Applied.NONE;
        }
        Long[] ids = taskIds.toArray(Long[]::new);

        // Every legacy task uuid these tasks had or have: their task-like jobs are replaced, and references to them.
        Set<String> touched = new HashSet<>();
        oldUuids.values().forEach(touched::addAll);
        TaskBatch batch = reader.byIds(ids);
        for (TaskBatch.Source s : batch.rows()) {
            if (s.task().uuid() != null) {
                touched.add(s.task().uuid());
            }
        }
        Set<String> impure = impure(touched);
        BatchMapper.Mapped mapped = mapper.map(batch);
        if (!mapped.quarantined().isEmpty()) {
            refuseQuarantine.check(mapped.quarantined().get(0));
        }
        List<TaskLikeJobWriter.Row> jobs = new ArrayList<>(mapped.jobs().size());
        Map<String, Long> carried = new HashMap<>();
        for (TaskLikeJobWriter.Row row : mapped.jobs()) {
            TaskLikeJob job = row.job();
            // A task renamed since keeps the purity mark its task-like job had under the earlier uuid.
            Set<String> earlier = oldUuids.getOrDefault(row.taskId(), Set.of());
            boolean marked = earlier.stream().anyMatch(impure::contains) && !Boolean.TRUE.equals(job.nondeterministic());
            jobs.add(marked ? new TaskLikeJobWriter.Row(row.taskId(), job.impure()) : row);
            carried.put(job.legacyTaskUuid(), row.taskId());
        }
        deleteReplacedTaskLikeJobs(touched, ids, carried);
        writer.upsert(jobs);
        replaceQuarantine(ids, mapped.quarantined());
        repointCreators(touched);
        try (PreparedStatement st = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE seq = ANY(?)")) {
            st.setArray(1, connection.createArrayOf("int8", seqs.toArray()));
            st.executeUpdate();
        }
        return new Applied(seqs.size(), batch.rows().size(), ids.length - batch.rows().size());
    }

    /** Decides about a task the batch would quarantine; throws to refuse (strict runs). */
    @FunctionalInterface
    interface QuarantineGate {
        QuarantineGate ALLOW = entry -> { };

        void check(QuarantineWriter.Entry entry);
    }

    /** Of these legacy task uuids, those whose task-like job carries the gateway's purity mark. */
    private Set<String> impure(Set<String> legacyUuids) throws SQLException {
        Set<String> marked = new HashSet<>();
        if (legacyUuids.isEmpty()) {
            return marked;
        }
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT legacy_task_uuid FROM jobs WHERE legacy_task_uuid = ANY(?) AND nondeterministic")) {
            st.setArray(1, connection.createArrayOf("varchar", legacyUuids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    marked.add(rs.getString(1));
                }
            }
        }
        return marked;
    }

    /**
     * Deletes the task-like jobs these tasks had that no longer stand for them: of a task deleted, renamed, or
     * quarantined now. The task-like job of a task carried under the same uuid stays, to be written in place. Where
     * jobs.legacy_task_id exists (the contract phase's id of the task), a task-like job of one of these tasks under
     * any other uuid goes too, and so does one whose uuid another task took over (that task's own change, queued
     * after this one, writes it again).
     */
    private void deleteReplacedTaskLikeJobs(Set<String> touched, Long[] ids, Map<String, Long> carried) throws SQLException {
        if (hasLegacyTaskId == null) {
            hasLegacyTaskId = SchemaState.read(connection).legacyTaskIdColumn();
        }
        String sql = hasLegacyTaskId
                ? """
                DELETE FROM jobs j
                WHERE (j.legacy_task_uuid = ANY(?) OR j.legacy_task_id = ANY(?)) AND j.legacy_task_uuid IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM unnest(?::varchar[], ?::bigint[]) AS c(uuid, task_id)
                                  WHERE c.uuid = j.legacy_task_uuid AND c.task_id = j.legacy_task_id)
                """
                : """
                DELETE FROM jobs j
                WHERE j.legacy_task_uuid = ANY(?) AND (? IS NOT NULL)
                  AND NOT EXISTS (SELECT 1 FROM unnest(?::varchar[], ?::bigint[]) AS c(uuid, task_id)
                                  WHERE c.uuid = j.legacy_task_uuid)
                """;
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setArray(1, connection.createArrayOf("varchar", touched.toArray()));
            st.setArray(2, connection.createArrayOf("int8", ids));
            st.setArray(3, connection.createArrayOf("varchar", carried.keySet().toArray()));
            st.setArray(4, connection.createArrayOf("int8", carried.values().toArray()));
            st.executeUpdate();
        }
    }

    /**
     * The quarantine rows of these tasks become exactly {@code entries}: a row that still says the same is kept as it
     * is (with the time it was first found), the others go.
     */
    private void replaceQuarantine(Long[] ids, List<QuarantineWriter.Entry> entries) throws SQLException {
        Object[] taskIds = new Object[entries.size()];
        Object[] uuids = new Object[entries.size()];
        Object[] reasons = new Object[entries.size()];
        Object[] details = new Object[entries.size()];
        for (int k = 0; k < taskIds.length; k++) {
            QuarantineWriter.Entry e = entries.get(k);
            taskIds[k] = e.taskId();
            uuids[k] = e.taskUuid();
            reasons[k] = e.reason();
            details[k] = e.detail();
        }
        String sql = """
                DELETE FROM job_tasks_quarantine q
                WHERE q.task_id = ANY(?)
                  AND NOT EXISTS (SELECT 1 FROM unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::text[]) AS n(task_id, task_uuid, reason, detail)
                                  WHERE n.task_id = q.task_id AND n.task_uuid IS NOT DISTINCT FROM q.task_uuid
                                    AND n.reason = q.reason AND n.detail IS NOT DISTINCT FROM q.detail)
                """;
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setArray(1, connection.createArrayOf("int8", ids));
            st.setArray(2, connection.createArrayOf("int8", taskIds));
            st.setArray(3, connection.createArrayOf("text", uuids));
            st.setArray(4, connection.createArrayOf("text", reasons));
            st.setArray(5, connection.createArrayOf("text", details));
            st.executeUpdate();
        }
        quarantine.insert(entries);
    }

    /**
     * Points every task-like job created by one of these legacy tasks at that task's task-like job as it is now
     * (NULL when the creator is gone or quarantined; its legacy uuid is kept either way).
     */
    private void repointCreators(Set<String> legacyUuids) throws SQLException {
        if (legacyUuids.isEmpty()) {
            return;
        }
        String sql = """
                UPDATE jobs j SET created_by_job_uuid = c.uuid
                FROM (SELECT u.legacy_uuid, (SELECT creator.uuid FROM jobs creator WHERE creator.legacy_task_uuid = u.legacy_uuid) AS uuid
                      FROM unnest(?::varchar[]) AS u(legacy_uuid)) c
                WHERE j.legacy_created_by_task_uuid = c.legacy_uuid
                  AND j.created_by_job_uuid IS DISTINCT FROM c.uuid
                """;
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setArray(1, connection.createArrayOf("varchar", legacyUuids.toArray()));
            st.executeUpdate();
        }
    }


    private long scalar(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
