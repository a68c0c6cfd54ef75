package org.arvados.tasksasjobs.gateway.tasks;

import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.JobState;
import org.arvados.tasksasjobs.mapping.MappingOutcome;
import org.arvados.tasksasjobs.mapping.RandomUuidAllocator;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.mapping.TaskRow;
import org.arvados.tasksasjobs.mapping.UuidMapping;
import org.arvados.tasksasjobs.shim.InvalidTaskRequestException;
import org.arvados.tasksasjobs.shim.JobTaskRequest;

/**
 * The one write path of a task, whichever endpoint the request came through: a {@link JobTaskRequest} turned into
 * a task-like job by the shim's {@code toNewTaskRow}/{@code applyTo} and the contract's {@link TaskJobMapping}, so
 * both endpoints write identical rows for the same task. Also keeps the API server's side effects: a task whose
 * success turns false takes the tasks it created with it, and an impure task stays impure.
 */
final class TaskWrites {

    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SerializedHashReader reader;
    private final InheritPolicy policy;
    private final Clock clock;
    private final RandomGenerator random;
    private final TaskJobMapping mapping;
    private final Access access;

    TaskWrites(SerializedHashReader reader, InheritPolicy policy, Clock clock, RandomGenerator random, Access access) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.mapping = new TaskJobMapping(reader, policy, new RandomUuidAllocator(random));
        this.access = Objects.requireNonNull(access, "access");
    }

    /**
     * Creates the task-like job of a new task. No reuse here: crunch-job collects the outputs of the tasks a task
     * created, so a create always creates.
     */
    StoredTask create(JobStore store, Caller caller, JobTaskRequest request) throws GatewayException, SQLException {
        if (request.jobUuid() == null) {
            throw GatewayException.unprocessable("job_task.job_uuid is required to create a task");
        }
        JobStore.ParentRow parent = checkedParent(store, caller, request.jobUuid());
        checkOwner(caller, request, null);
        String taskUuid = newTaskUuid(store, UuidMapping.clusterOf(request.jobUuid()));
        long qsequence = request.has("qsequence") && request.qsequence() != null ? 0 : store.nextQsequence();
        TaskRow task;
        try {
            task = request.toNewTaskRow(0, taskUuid, caller.userUuid(), null, now(), qsequence);
        } catch (InvalidTaskRequestException e) {
            throw GatewayException.unprocessable(e.getMessage());
        }
        String creator = task.createdByJobTaskUuid() == null ? null : store.jobUuidOfTask(task.createdByJobTaskUuid());
        MappingOutcome outcome;
        try {
            outcome = mapping.map(task, parent == null ? null : parent.job(), creator, taken(store));
        } catch (UncheckedSqlException e) {
            throw e.getCause();
        }
        TaskLikeJob job = mapped(outcome);
        return new StoredTask(store.insert(job), job);
    }

    /**
     * Applies an update to a task-like job the caller may write (checked by the caller).
     *
     * @param markImpure whether the request itself marks the task nondeterministic (jobs endpoint)
     */
    StoredTask update(JobStore store, Caller caller, JobRecord existing, JobTaskRequest request, boolean markImpure)
            throws GatewayException, SQLException {
        TaskLikeJob old = existing.taskLikeJob();
        String parentUuid = request.has("job_uuid") ? request.jobUuid() : old.parentJobUuid();
        JobStore.ParentRow parent;
        if (request.has("job_uuid") && !Objects.equals(parentUuid, old.parentJobUuid())) {
            // Moving a task to another job needs the new parent's ownership too.
            parent = parentUuid == null ? null : checkedParent(store, caller, parentUuid);
        } else {
            parent = parentUuid == null ? null : store.parent(parentUuid);
        }
        checkOwner(caller, request, old.ownerUuid());
        String creator = old.createdByJobUuid();
        if (request.has("created_by_job_task_uuid")) {
            creator = request.createdByJobTaskUuid() == null ? null : store.jobUuidOfTask(request.createdByJobTaskUuid());
        }
        TaskLikeJob mapped = mapped(request.applyTo(old, parent == null ? null : parent.job(), creator, reader, policy,
                caller.userUuid(), null, now()));
        // Re-mapping copies the parent's flag; an impure task must stay impure whatever the parent says.
        boolean impure = Boolean.TRUE.equals(mapped.nondeterministic()) || Boolean.TRUE.equals(old.nondeterministic()) || markImpure;
        TaskLikeJob updated = impure ? mapped.impure() : mapped;
        store.update(existing.id(), updated);
        if (old.state() != JobState.FAILED && updated.state() == JobState.FAILED) {
            // As the API server did when a task's success turned false: the tasks it created go (direct children).
            store.deleteCreatedBy(updated.legacyTaskUuid());
        }
        return new StoredTask(existing.id(), updated);
    }

    private JobStore.ParentRow checkedParent(JobStore store, Caller caller, String uuid) throws GatewayException, SQLException {
        JobStore.ParentRow parent = store.parent(uuid);
        if (parent == null) {
            return null; // the mapping quarantines the task as an orphan: a 422 naming the reason
        }
        if (parent.taskLike()) {
            throw GatewayException.unprocessable("job_uuid " + uuid + " names a task-like job; a task belongs to a top-level job");
        }
        access.requireParentWritable(store, caller, parent);
        return parent;
    }

    /** A non-admin may not hand a task to another user (keeping the owner it already has is fine). */
    private static void checkOwner(Caller caller, JobTaskRequest request, String currentOwner) throws GatewayException {
        if (caller.admin() || !request.has("owner_uuid") || request.ownerUuid() == null) {
            return;
        }
        if (!request.ownerUuid().equals(caller.userUuid()) && !request.ownerUuid().equals(currentOwner)) {
            throw GatewayException.forbidden("owner_uuid " + request.ownerUuid() + ": cannot give a task to another user");
        }
    }

    private static TaskLikeJob mapped(MappingOutcome outcome) throws GatewayException {
        if (outcome instanceof MappingOutcome.Quarantined q) {
            throw GatewayException.unprocessable("task cannot be carried (" + q.reason().code() + "): " + q.detail());
        }
        return ((MappingOutcome.Mapped) outcome).job();
    }

    /** Parent's cluster + "-ot0gb-" + 15 random base-36 characters, not yet any task's. */
    private String newTaskUuid(JobStore store, String cluster) throws SQLException {
        while (true) {
            StringBuilder uuid = new StringBuilder(27).append(cluster).append("-ot0gb-");
            for (int i = 0; i < 15; i++) {
                uuid.append(BASE36[random.nextInt(BASE36.length)]);
            }
            if (!store.taskUuidTaken(uuid.toString())) {
                return uuid.toString();
            }
        }
    }

    /** The server's time in UTC, at the columns' precision, so what is returned is what a later read gives. */
    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** jobs.uuid taken, for the mapping's uuid choice; the mapping's predicate cannot throw SQLException. */
    private static java.util.function.Predicate<String> taken(JobStore store) {
        return uuid -> {
            try {
                return store.jobUuidTaken(uuid);
            } catch (SQLException e) {
                throw new UncheckedSqlException(e);
            }
        };
    }


    /** Carries an SQLException through the mapping's predicate; unwrapped by the caller of map. */
    private static final class UncheckedSqlException extends RuntimeException {
        UncheckedSqlException(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
