package org.arvados.tasksasjobs.gateway.tasks;

import java.util.Arrays;
import java.util.Objects;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;

/**
 * One row of jobs as read: the surrogate id, every column of {@link JobColumns#ALL} by position (String,
 * LocalDateTime, Boolean, Long or Double; null for NULL), and the owner of its parent job (null for a top-level job
 * or a task-like job whose parent is gone), which decides who may read a task-like job.
 */
record JobRecord(long id, Object[] values, String parentOwnerUuid) {

    JobRecord {
        Objects.requireNonNull(values, "values");
        if (values.length != JobColumns.ALL.size()) {
            throw new IllegalArgumentException("a job record holds " + JobColumns.ALL.size() + " columns, not " + values.length);
        }
        values = values.clone();
    }

    Object value(String column) {
        int index = JobColumns.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no jobs column " + column);
        }
        return values[index];
    }

    String text(String column) {
        return (String) value(column);
    }

    String uuid() {
        return text("uuid");
    }

    String ownerUuid() {
        return text("owner_uuid");
    }

    String parentJobUuid() {
        return text("parent_job_uuid");
    }

    String legacyTaskUuid() {
        return text("legacy_task_uuid");
    }

    boolean isTaskLike() {
        return parentJobUuid() != null;
    }

    /**
     * The task-like job this row is, as the mapping defines one.
     *
     * @throws IllegalStateException for a top-level job, or a row whose state is not a job state (no writer of
     *     task-like jobs makes one)
     */
    TaskLikeJob taskLikeJob() {
        if (!isTaskLike()) {
            throw new IllegalStateException("job " + uuid() + " is not a task-like job");
        }
        try {
            return TaskLikeJob.of(column -> value(column.column()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("task-like job " + uuid() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Object[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobRecord r && r.id == id && Arrays.equals(r.values, values)
                && Objects.equals(r.parentOwnerUuid, parentOwnerUuid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(values), parentOwnerUuid);
    }

    @Override
    public String toString() {
        return "JobRecord[id=" + id + ", uuid=" + uuid() + "]";
    }
}
