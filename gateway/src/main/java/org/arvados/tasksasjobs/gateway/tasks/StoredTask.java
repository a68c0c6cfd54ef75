package org.arvados.tasksasjobs.gateway.tasks;

import java.util.Objects;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;

/** A task-like job as just written, with the surrogate id of its row. */
record StoredTask(long id, TaskLikeJob job) {
    StoredTask {
        Objects.requireNonNull(job, "job");
    }
}
