package org.arvados.tasksasjobs.mapping;

import java.time.LocalDateTime;

/**
 * The columns of a task's parent job (a {@code jobs} row) that the mapping reads.
 * {@code runtimeConstraints} and {@code scriptParameters} are the serialized text as stored.
 */
public record ParentJob(
        String uuid,
        String state,
        Boolean running,
        Boolean success,
        LocalDateTime cancelledAt,
        String script,
        String scriptVersion,
        String suppliedScriptVersion,
        String repository,
        String dockerImageLocator,
        String arvadosSdkVersion,
        String runtimeConstraints,
        Boolean nondeterministic,
        String log,
        String scriptParameters) {

    /**
     * {@code state}, or when state is NULL (rows older than the state column) derived from the
     * legacy flags the way the API server's migration did: cancelled_at set -> Cancelled;
     * success true -> Complete; success false -> Failed; running true -> Running; else Queued.
     *
     * @throws IllegalArgumentException when state holds text that is not a job state
     */
    public JobState effectiveState() {
        if (state != null) {
            return JobState.fromText(state);
        }
        if (cancelledAt != null) {
            return JobState.CANCELLED;
        }
        if (success != null) {
            return success ? JobState.COMPLETE : JobState.FAILED;
        }
        return Boolean.TRUE.equals(running) ? JobState.RUNNING : JobState.QUEUED;
    }
}
