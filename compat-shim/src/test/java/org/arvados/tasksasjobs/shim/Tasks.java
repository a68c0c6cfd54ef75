package org.arvados.tasksasjobs.shim;

import java.time.LocalDateTime;
import org.arvados.tasksasjobs.mapping.JobState;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;

/** A task-like job as the mapping makes one, for the unit tests; changed one column at a time. */
final class Tasks {

    static final LocalDateTime CREATED = LocalDateTime.of(2016, 3, 1, 12, 0, 0, 123_456_000);
    static final String PARENT_UUID = "zzzzz-8i9sb-pshmckwoma9plh7";
    static final String TASK_UUID = "zzzzz-ot0gb-runningjobtask1";

    private Tasks() {}

    static TaskLikeJob job(JobState state, String taskParameters) {
        return new TaskLikeJob("zzzzz-8i9sb-runningjobtask1", "zzzzz-tpzed-xurymjxw79nv3jz", "zzzzz-ozdt8-brczlopd8u8d0jr",
                "zzzzz-tpzed-d9tiejq69daie8f", CREATED.plusMinutes(5), CREATED, CREATED.plusMinutes(5), CREATED.plusSeconds(30),
                null, "hash", "4fe459abe02d9b365932b8f5dc419439ab4e2577", "main", "active/foo", null, null, "{}", null,
                "{\"algorithm\":\"md5\",\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"}", "0123", state,
                state == JobState.RUNNING, state == JobState.COMPLETE ? Boolean.TRUE : state.ended() ? Boolean.FALSE : null,
                null, "ea10d51bcf88862dbcc36eb292017dfd+45", 0, PARENT_UUID, TASK_UUID, 1, 42L,
                "zzzzz-8i9sb-firsttaskofjob1", "zzzzz-ot0gb-firsttaskofjob1", 0.5, taskParameters, null);
    }
}
