package org.arvados.tasksasjobs.backfill;

import java.util.List;
import org.arvados.tasksasjobs.mapping.ParentJob;
import org.arvados.tasksasjobs.mapping.TaskRow;

/** One keyset batch of job_tasks rows in id order, each with what the mapping needs beside it. */
record TaskBatch(List<Source> rows, long lastId) {

    TaskBatch {
        rows = List.copyOf(rows);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * A task, its parent job (null: orphan), and the uuid of the task-like job already made from its creator
     * task (null when the creator is unknown, not yet carried, or quarantined).
     */
    record Source(TaskRow task, ParentJob parent, String creatorJobUuid) { }
}
