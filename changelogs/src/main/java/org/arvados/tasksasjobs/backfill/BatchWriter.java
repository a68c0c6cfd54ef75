package org.arvados.tasksasjobs.backfill;

import java.sql.SQLException;
import java.util.List;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;

/** Writes a batch of task-like jobs, skipping those already there; see {@link BackfillSettings.WriteMethod}. */
interface BatchWriter {

    /** Inserts the jobs; returns how many were new (the rest already existed for their legacy task uuid). */
    int insert(List<TaskLikeJob> jobs) throws SQLException;
}
