package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arvados.tasksasjobs.mapping.MappingOutcome;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.mapping.UuidMapping;

/**
 * Maps a batch of tasks with {@link TaskJobMapping}, supplying what the pure mapping cannot know: which derived
 * uuids a job already has (one query per batch, {@link #lookup}), and the task-like jobs made earlier in the same
 * batch or in the batch before it, so a child task finds its creator before either is committed. Reads only; the
 * backfill and the plan share it. {@link #map(TaskBatch, Lookup, Map)} touches no connection, so a worker runs it
 * on another thread while its connection writes the batch before.
 */
final class BatchMapper {

    /**
     * The batch's outcome: task-like jobs to write (each with its task's job_tasks id), rows to quarantine, how many
     * derived uuids were taken, and the task-like job uuid of every task carried (legacy task uuid to job uuid), for
     * the next batch's children.
     */
    record Mapped(List<TaskLikeJobWriter.Row> jobs, List<QuarantineWriter.Entry> quarantined, int uuidCollisions,
                  Map<String, String> carried) { }

    /** The derived uuids of a batch that jobs already holds. */
    record Lookup(Set<String> takenUuids) { }

    private final Connection connection;
    private final TaskJobMapping mapping;
    private final boolean deriveLateCreators;

    /** A mapper that leaves a creator not carried yet unknown (null): the drain and the plan. */
    BatchMapper(Connection connection, TaskJobMapping mapping) {
        this(connection, mapping, false);
    }

    /**
     * @param deriveLateCreators give a task whose creator is not carried yet the uuid that creator's task-like job
     *     will have unless its uuid collides or it is quarantined; {@link TaskLikeJobWriter#resolveLateCreators()}
     *     corrects those few at the end of the walk. The walk's workers use it: a creator in another worker's range
     *     would otherwise cost a late UPDATE of every such row (docs/benchmarks.md, "Where the time goes").
     */
    BatchMapper(Connection connection, TaskJobMapping mapping, boolean deriveLateCreators) {
        this.connection = connection;
        this.mapping = mapping;
        this.deriveLateCreators = deriveLateCreators;
    }

    Mapped map(TaskBatch batch) throws SQLException {
        return map(batch, lookup(batch), Map.of());
    }

    /** What {@link #map(TaskBatch, Lookup, Map)} needs from the database for {@code batch}. */
    Lookup lookup(TaskBatch batch) throws SQLException {
        List<String> derived = new ArrayList<>();
        for (TaskBatch.Source s : batch.rows()) {
            String uuid = s.task().uuid();
            if (uuid != null && UuidMapping.isWellFormed(uuid)) {
                derived.add(UuidMapping.taskLikeJobUuid(uuid));
            }
        }
        return new Lookup(existingUuids(derived));
    }

    /**
     * Maps {@code batch} without touching the database.
     *
     * @param carriedBefore the {@link Mapped#carried()} of the batch before, which may not be committed yet
     */
    Mapped map(TaskBatch batch, Lookup lookup, Map<String, String> carriedBefore) {
        Set<String> existing = lookup.takenUuids();
        Set<String> usedInBatch = new HashSet<>();
        Map<String, String> carriedInBatch = new HashMap<>(); // legacy task uuid -> task-like job uuid
        List<TaskLikeJobWriter.Row> jobs = new ArrayList<>();
        List<QuarantineWriter.Entry> quarantined = new ArrayList<>();
        int collisions = 0;
        for (TaskBatch.Source s : batch.rows()) {
            String creator = s.creatorJobUuid();
            if (creator == null && s.task().createdByJobTaskUuid() != null) {
                creator = carriedInBatch.get(s.task().createdByJobTaskUuid());
                if (creator == null) {
                    creator = carriedBefore.get(s.task().createdByJobTaskUuid());
                }
                if (creator == null && deriveLateCreators && UuidMapping.isWellFormed(s.task().createdByJobTaskUuid())) {
                    creator = UuidMapping.taskLikeJobUuid(s.task().createdByJobTaskUuid());
                }
            }
            MappingOutcome outcome = mapping.map(s.task(), s.parent(), creator,
                    uuid -> existing.contains(uuid) || usedInBatch.contains(uuid));
            if (outcome instanceof MappingOutcome.Mapped m) {
                TaskLikeJob job = m.job();
                if (!job.uuid().equals(UuidMapping.taskLikeJobUuid(job.legacyTaskUuid()))) {
                    collisions++;
                }
                jobs.add(new TaskLikeJobWriter.Row(s.task().id(), job));
                usedInBatch.add(job.uuid());
                carriedInBatch.put(job.legacyTaskUuid(), job.uuid());
            } else if (outcome instanceof MappingOutcome.Quarantined q) {
                quarantined.add(new QuarantineWriter.Entry(s.task().id(), s.task().uuid(), q.reason().code(), q.detail()));
            }
        }
        return new Mapped(jobs, quarantined, collisions, carriedInBatch);
    }

    private Set<String> existingUuids(List<String> uuids) throws SQLException {
        Set<String> taken = new HashSet<>();
        if (uuids.isEmpty()) {
            return taken;
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT uuid FROM jobs WHERE uuid = ANY(?)")) {
            st.setArray(1, connection.createArrayOf("varchar", uuids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getString(1));
                }
            }
        }
        return taken;
    }
}
