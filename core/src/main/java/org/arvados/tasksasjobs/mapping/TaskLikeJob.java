package org.arvados.tasksasjobs.mapping;

import java.time.LocalDateTime;

/**
 * Every column a task-like job row of {@code jobs} gets (docs/architecture.md "The contract").
 * Columns a task-like job leaves NULL (submit_id, is_locked_by_uuid, cancelled_*, tasks_summary,
 * components, description) and the surrogate id are not here.
 *
 * <p>{@code scriptParameters} is canonical compact JSON and {@code scriptParametersDigest} its
 * digest; {@code taskParameters} and {@code taskOutput} are the task's text byte for byte.
 */
public record TaskLikeJob(
    String uuid,
    String ownerUuid,
    String modifiedByClientUuid,
    String modifiedByUserUuid,
    LocalDateTime modifiedAt,
    LocalDateTime createdAt,
    LocalDateTime updatedAt,
    LocalDateTime startedAt,
    LocalDateTime finishedAt,
    String script,
    String scriptVersion,
    String suppliedScriptVersion,
    String repository,
    String dockerImageLocator,
    String arvadosSdkVersion,
    String runtimeConstraints,
    Boolean nondeterministic,
    String scriptParameters,
    String scriptParametersDigest,
    JobState state,
    Boolean running,
    Boolean success,
    String output,
    String log,
    int priority,
    String parentJobUuid,
    String legacyTaskUuid,
    Integer taskSequence,
    Long taskQsequence,
    String createdByJobUuid,
    String legacyCreatedByTaskUuid,
    Double taskProgress,
    String taskParameters,
    String taskOutput) {

    /**
     * This job marked impure ({@code nondeterministic = true}): it read its parent's record, so it is never reused.
     * Every later write keeps the mark, whatever the parent's flag (which the mapping copies) says.
     */
    public TaskLikeJob impure() {
        return new TaskLikeJob(uuid, ownerUuid, modifiedByClientUuid, modifiedByUserUuid, modifiedAt, createdAt, updatedAt,
                startedAt, finishedAt, script, scriptVersion, suppliedScriptVersion, repository, dockerImageLocator,
                arvadosSdkVersion, runtimeConstraints, Boolean.TRUE, scriptParameters, scriptParametersDigest, state,
                running, success, output, log, priority, parentJobUuid, legacyTaskUuid, taskSequence, taskQsequence,
                createdByJobUuid, legacyCreatedByTaskUuid, taskProgress, taskParameters, taskOutput);
    }
}
