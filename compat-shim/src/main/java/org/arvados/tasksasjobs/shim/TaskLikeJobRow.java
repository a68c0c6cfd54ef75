package org.arvados.tasksasjobs.shim;

import java.util.Objects;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;

/** A task-like job as stored: its row of {@code jobs} with the surrogate id. */
public record TaskLikeJobRow(long id, TaskLikeJob job) {
    public TaskLikeJobRow {
        Objects.requireNonNull(job, "job");
    }
}
