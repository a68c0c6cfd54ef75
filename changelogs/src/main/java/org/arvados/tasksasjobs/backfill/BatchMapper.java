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
 * uuids a job already has (one query per batch), and the task-like jobs made earlier in the same batch, so a child
 * task finds its creator. Reads only; the backfill and the plan share it.
 */
final class BatchMapper {

    /** The batch's outcome: rows to write, rows to quarantine, and how many derived uuids were taken. */
    record Mapped(List<TaskLikeJob> jobs, List<QuarantineWriter.Entry> quarantined, int uuidCollisions) { }

    private final Connection connection;
    private final TaskJobMapping mapping;

    BatchMapper(Connection connection, TaskJobMapping mapping) {
        this.connection = connection;
        this.mapping = mapping;
    }

    Mapped map(TaskBatch batch) throws SQLException {
        List<String> derived = new ArrayList<>();
        for (TaskBatch.Source s : batch.rows()) {
            String uuid = s.task().uuid();
            if (uuid != null && UuidMapping.isWellFormed(uuid)) {
                derived.add(UuidMapping.taskLikeJobUuid(uuid));
            }
        }
        Set<String> existing = existingUuids(derived);
        Set<String> usedInBatch = new HashSet<>();
        Map<String, String> carriedInBatch = new HashMap<>(); // legacy task uuid -> task-like job uuid
        List<TaskLikeJob> jobs = new ArrayList<>();
        List<QuarantineWriter.Entry> quarantined = new ArrayList<>();
        int collisions = 0;
        for (TaskBatch.Source s : batch.rows()) {
            String creator = s.creatorJobUuid();
            if (creator == null && s.task().createdByJobTaskUuid() != null) {
                creator = carriedInBatch.get(s.task().createdByJobTaskUuid());
            }
            MappingOutcome outcome = mapping.map(s.task(), s.parent(), creator,
                    uuid -> existing.contains(uuid) || usedInBatch.contains(uuid));
            if (outcome instanceof MappingOutcome.Mapped m) {
                TaskLikeJob job = m.job();
                if (!job.uuid().equals(UuidMapping.taskLikeJobUuid(job.legacyTaskUuid()))) {
                    collisions++;
                }
                jobs.add(job);
                usedInBatch.add(job.uuid());
                carriedInBatch.put(job.legacyTaskUuid(), job.uuid());
            } else if (outcome instanceof MappingOutcome.Quarantined q) {
                quarantined.add(new QuarantineWriter.Entry(s.task().id(), s.task().uuid(), q.reason().code(), q.detail()));
            }
        }
        return new Mapped(jobs, quarantined, collisions);
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
