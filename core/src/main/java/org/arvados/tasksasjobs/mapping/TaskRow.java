package org.arvados.tasksasjobs.mapping;

import java.time.LocalDateTime;

/**
 * A {@code job_tasks} row as read: all 18 columns, NULLs kept as {@code null}.
 *
 * <p>Timestamps are {@code LocalDateTime} because the columns are PostgreSQL
 * {@code timestamp without time zone} (microsecond precision); no zone is implied.
 * Nothing is validated here: old databases hold rows of every shape, and deciding what
 * to do with them is {@link TaskJobMapping}'s job.
 */
public record TaskRow(
    long id,
    String uuid,
    String ownerUuid,
    String modifiedByClientUuid,
    String modifiedByUserUuid,
    LocalDateTime modifiedAt,
    String jobUuid,
    Integer sequence,
    String parameters,
    String output,
    Double progress,
    Boolean success,
    LocalDateTime createdAt,
    LocalDateTime updatedAt,
    String createdByJobTaskUuid,
    Long qsequence,
    LocalDateTime startedAt,
    LocalDateTime finishedAt) {}
