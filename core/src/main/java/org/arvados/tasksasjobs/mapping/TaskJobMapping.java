package org.arvados.tasksasjobs.mapping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The one definition of task -> task-like job (docs/architecture.md "The contract") and back. The backfill,
 * the gateway, the client library and the verifier all call this class, so a row migrated from
 * history and a task created through the shim today look the same.
 *
 * <p>Pure: no JDBC, no clock; randomness only through the allocator, and only when the derived
 * uuid is taken. Thread-safe when the reader's decoder and the allocator are.
 */
public final class TaskJobMapping {

    /** A safety stop for an allocator that keeps returning taken uuids (a broken test double). */
    static final int MAX_ALLOCATIONS = 1000;

    private static final int EXCERPT_LENGTH = 60;

    private final SerializedHashReader reader;
    private final InheritPolicy policy;
    private final UuidAllocator allocator;

    public TaskJobMapping(SerializedHashReader reader, InheritPolicy policy, UuidAllocator allocator) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    /**
     * Maps one task. Rows that cannot be carried are quarantined, checked in this order: NULL uuid,
     * malformed uuid, no parent job, unparseable task parameters, unparseable parent parameters.
     *
     * @param parent the job whose uuid is the task's job_uuid; null when no job row has it
     * @param creatorJobUuid the uuid of the task-like job already made from
     *     task.createdByJobTaskUuid, or null when unknown
     * @param uuidTaken whether a row of jobs already has a uuid; the derived uuid is tried first, on
     *     a collision the allocator is asked until it gives a free one. A caller re-running a
     *     backfill should look the task up by legacy_task_uuid first: its own earlier row takes the
     *     derived uuid.
     */
    public MappingOutcome map(TaskRow task, ParentJob parent, String creatorJobUuid, Predicate<String> uuidTaken) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(uuidTaken, "uuidTaken");
        if (task.uuid() == null) {
            return quarantined(QuarantineReason.NULL_UUID, "uuid is NULL");
        }
        if (!UuidMapping.isWellFormed(task.uuid())) {
            return quarantined(QuarantineReason.MALFORMED_UUID, "uuid " + PlainValues.excerpt(task.uuid(), EXCERPT_LENGTH)
                    + " is not <cluster>-<infix>-<15 chars>, each of [0-9a-z]");
        }
        if (parent == null) {
            return quarantined(QuarantineReason.ORPHAN, task.jobUuid() == null
                    ? "job_uuid is NULL"
                    : "job_uuid " + task.jobUuid() + " has no job row");
        }
        Map<String, Object> taskParameters;
        try {
            taskParameters = reader.read(task.parameters());
        } catch (UnparseableHashException e) {
            return quarantined(QuarantineReason.UNPARSEABLE_PARAMETERS, e.getMessage() + "; text: " + excerpt(task.parameters()));
        }
        Map<String, Object> parentParameters;
        try {
            parentParameters = reader.read(parent.scriptParameters());
        } catch (UnparseableHashException e) {
            return quarantined(QuarantineReason.UNPARSEABLE_PARENT_PARAMETERS, "script_parameters of job " + parent.uuid()
                    + ": " + e.getMessage() + "; text: " + excerpt(parent.scriptParameters()));
        }

        if (task.success() == null && knownState(parent) == null) {
            // Only an unfinished task needs its parent's state.
            return quarantined(QuarantineReason.UNKNOWN_PARENT_STATE, "job " + parent.uuid() + " has state "
                    + PlainValues.excerpt(parent.state(), EXCERPT_LENGTH) + ", not one of Queued, Running, Cancelled, Failed, Complete");
        }

        // Shallow overlay: a task key replaces the parent's value whole, as Hash#merge does.
        Map<String, Object> merged = new LinkedHashMap<>(policy.inherited(parent.script(), parentParameters));
        merged.putAll(taskParameters);
        String scriptParameters = CanonicalJson.write(merged);

        JobState state;
        Boolean running;
        Boolean success;
        if (Boolean.TRUE.equals(task.success())) {
            state = JobState.COMPLETE;
            running = false;
            success = true;
        } else if (Boolean.FALSE.equals(task.success())) {
            state = JobState.FAILED;
            running = false;
            success = false;
        } else if (!parent.effectiveState().ended()) {
            boolean started = task.startedAt() != null;
            state = started ? JobState.RUNNING : JobState.QUEUED;
            running = started;
            success = null;
        } else {
            // Unfinished task of a job that ended: it will never run, as a cancelled job would not.
            state = JobState.CANCELLED;
            running = false;
            success = false;
        }

        String output = task.output() == null || PortableDataHash.isBlockLocator(task.output())
                ? null
                : PortableDataHash.of(task.output());

        TaskLikeJob job = new TaskLikeJob(
                freeUuid(task.uuid(), uuidTaken),
                task.ownerUuid(),
                task.modifiedByClientUuid(),
                task.modifiedByUserUuid(),
                task.modifiedAt(),
                task.createdAt(),
                task.updatedAt(),
                task.startedAt(),
                task.finishedAt(),
                parent.script(),
                parent.scriptVersion(),
                parent.suppliedScriptVersion(),
                parent.repository(),
                parent.dockerImageLocator(),
                parent.arvadosSdkVersion(),
                parent.runtimeConstraints(),
                parent.nondeterministic(),
                scriptParameters,
                ParametersDigest.ofCanonical(scriptParameters),
                state,
                running,
                success,
                output,
                parent.log(),
                0,
                task.jobUuid(),
                task.uuid(),
                task.sequence(),
                task.qsequence(),
                creatorJobUuid,
                task.createdByJobTaskUuid(),
                task.progress(),
                task.parameters(),
                task.output());
        return new MappingOutcome.Mapped(job);
    }

    /**
     * The job_tasks row a task-like job stands for; {@code id} is the caller's. success follows
     * the state: Complete -> true, Failed -> false, otherwise NULL (a task that had not finished).
     */
    public static TaskRow toTaskRow(long id, TaskLikeJob job) {
        Objects.requireNonNull(job, "job");
        Boolean success = job.state() == JobState.COMPLETE ? Boolean.TRUE
                : job.state() == JobState.FAILED ? Boolean.FALSE
                : null;
        return new TaskRow(
                id,
                job.legacyTaskUuid(),
                job.ownerUuid(),
                job.modifiedByClientUuid(),
                job.modifiedByUserUuid(),
                job.modifiedAt(),
                job.parentJobUuid(),
                job.taskSequence(),
                job.taskParameters(),
                job.taskOutput(),
                job.taskProgress(),
                success,
                job.createdAt(),
                job.updatedAt(),
                job.legacyCreatedByTaskUuid(),
                job.taskQsequence(),
                job.startedAt(),
                job.finishedAt());
    }

    private String freeUuid(String taskUuid, Predicate<String> uuidTaken) {
        String uuid = UuidMapping.taskLikeJobUuid(taskUuid);
        String cluster = UuidMapping.clusterOf(taskUuid);
        for (int attempt = 0; uuidTaken.test(uuid); attempt++) {
            if (attempt == MAX_ALLOCATIONS) {
                throw new IllegalStateException(
                        "no free job uuid for cluster " + cluster + " after " + MAX_ALLOCATIONS + " allocations");
            }
            uuid = allocator.newJobUuid(cluster);
        }
        return uuid;
    }

    private static MappingOutcome quarantined(QuarantineReason reason, String detail) {
        return new MappingOutcome.Quarantined(reason, detail);
    }

    private static String excerpt(String text) {
        String quoted = PlainValues.excerpt(text, EXCERPT_LENGTH);
        return text.length() > EXCERPT_LENGTH ? quoted + " (first " + EXCERPT_LENGTH + " of " + text.length() + " chars)" : quoted;
    }

    /** The parent's state, or null when its state column holds unknown text. */
    private static JobState knownState(ParentJob parent) {
        try {
            return parent.effectiveState();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
