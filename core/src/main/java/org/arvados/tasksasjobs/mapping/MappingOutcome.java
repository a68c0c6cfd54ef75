package org.arvados.tasksasjobs.mapping;

import java.util.Objects;

/** What {@link TaskJobMapping#map} made of one task: a task-like job, or a reason it cannot be carried. */
public sealed interface MappingOutcome permits MappingOutcome.Mapped, MappingOutcome.Quarantined {

    /** The task becomes this task-like job. */
    record Mapped(TaskLikeJob job) implements MappingOutcome {
        public Mapped {
            Objects.requireNonNull(job, "job");
        }
    }

    /**
     * The task stays in job_tasks and gets a row in job_tasks_quarantine.
     * {@code detail} is one line for a human; it names no row id beyond what the reason needs.
     */
    record Quarantined(QuarantineReason reason, String detail) implements MappingOutcome {
        public Quarantined {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
