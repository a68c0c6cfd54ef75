package org.arvados.tasksasjobs.gateway.tasks;

import java.sql.SQLException;
import org.arvados.tasksasjobs.mapping.UuidMapping;
import org.arvados.tasksasjobs.shim.PlainJson;

/**
 * Who may read and write what (issue 4): a non-admin user reads and writes only task-like jobs whose parent job it
 * owns, and reads only top-level jobs it owns; admins everything. A task-like job's own owner_uuid grants nothing:
 * the parent's owner is who ran the job the task belongs to.
 */
final class Access {

    private Access() {}

    static boolean canRead(Caller caller, JobRecord job) {
        if (caller.admin()) {
            return true;
        }
        return caller.userUuid().equals(job.isTaskLike() ? job.parentOwnerUuid() : job.ownerUuid());
    }

    /**
     * A job or task the caller may not read is answered exactly as one that does not exist (the API server looked
     * objects up among the readable ones only), so a 404 never tells anyone which uuids exist.
     *
     * @param requested the uuid as the request named it, which the not-found message repeats
     */
    static void requireReadable(Caller caller, JobRecord job, String what, String requested) throws GatewayException {
        if (!canRead(caller, job)) {
            throw notFound(what, requested);
        }
    }

    /** The one not-found answer, for a missing object and for one the caller may not read. */
    static GatewayException notFound(String what, String requested) {
        return GatewayException.notFound(what + " " + requested + " not found");
    }

    /** A new or changed parent: the caller must own it (admins may use any). */
    static void requireParentOwned(Caller caller, JobStore.ParentRow parent) throws GatewayException {
        if (!caller.admin() && !caller.userUuid().equals(parent.ownerUuid())) {
            throw GatewayException.forbidden("job " + parent.job().uuid() + " belongs to another user");
        }
    }

    /** The condition a list adds so that it silently shows only task-like jobs the caller may read. */
    static SqlWhere taskLikeReadable(Caller caller, SqlWhere where) {
        SqlWhere taskLike = where.and("j.parent_job_uuid IS NOT NULL");
        return caller.admin() ? taskLike : taskLike.and("par.owner_uuid = ?", caller.userUuid());
    }

    /** The condition a jobs list adds: top-level jobs the caller owns, task-like jobs under parents it owns. */
    static SqlWhere jobsReadable(Caller caller, SqlWhere where) {
        if (caller.admin()) {
            return where;
        }
        return where.and("((j.parent_job_uuid IS NULL AND j.owner_uuid = ?) OR (j.parent_job_uuid IS NOT NULL AND par.owner_uuid = ?))",
                caller.userUuid(), caller.userUuid());
    }

    /**
     * The calling task named by the X-Arvados-Task-Uuid header, or null when there is none.
     *
     * @throws GatewayException 422 for a malformed uuid, 404 when it names no task-like job the caller may read
     */
    static JobRecord callingTask(JobStore store, Caller caller) throws GatewayException, SQLException {
        String uuid = caller.callingTask();
        if (uuid == null) {
            return null;
        }
        if (!UuidMapping.isWellFormed(uuid)) {
            throw GatewayException.unprocessable("X-Arvados-Task-Uuid is not an Arvados uuid: " + PlainJson.quote(uuid));
        }
        JobRecord task = store.find(uuid);
        if (task == null || !task.isTaskLike() || !canRead(caller, task)) {
            throw GatewayException.notFound("calling task " + uuid + " (X-Arvados-Task-Uuid) not found");
        }
        return task;
    }

}
