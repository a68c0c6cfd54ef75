package org.arvados.tasksasjobs.reuse;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One task as the savings replay sees it, whichever world it was read from: a job_tasks row mapped as the backfill
 * maps it, or the task-like job the backfill wrote. {@code identity} is what a submission of the task would match
 * (docs/arvados.md §5); {@code state}, {@code output}, {@code log} and {@code nondeterministic} decide whether, once
 * finished, it is a usable Complete twin for later tasks.
 */
public record TaskRun(String uuid, String jobUuid, String script, TaskIdentity identity, String state, String output, String log,
        boolean nondeterministic, LocalDateTime createdAt, LocalDateTime startedAt, LocalDateTime finishedAt) {

    public TaskRun {
        Objects.requireNonNull(jobUuid, "jobUuid");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether later tasks may find it as a Complete candidate once it finished (the candidate query's filter). */
    boolean completeCandidate() {
        return CandidateWalk.COMPLETE.equals(state) && !nondeterministic && finishedAt != null;
    }

    /** Its run time in microseconds: finished_at - started_at, 0 while it runs or when either is missing. */
    long runMicros() {
        if (startedAt == null || finishedAt == null || finishedAt.isBefore(startedAt)) {
            return 0;
        }
        return java.time.Duration.between(startedAt, finishedAt).toNanos() / 1000;
    }
}
