package org.arvados.tasksasjobs.gateway.tasks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.arvados.tasksasjobs.mapping.UuidMapping;
import org.arvados.tasksasjobs.shim.PlainJson;

/**
 * Who may read and write what, as the Arvados API server decided it: an admin everything; anyone else a job they
 * own, or reach through the permission graph ({@link Permissions}): a permission link to the job, or to a project
 * or group that owns it, transitively through nested projects and group membership. A task is the parent job's:
 * reading it needs the job readable, writing it (or creating one under the job) needs can_write. A task-like job's
 * own owner_uuid grants nothing. A uuid the caller cannot read is answered as one that does not exist.
 *
 * <p>Without the {@code links} and {@code groups} tables (a test bed served with {@code --tokens}), ownership alone
 * decides.
 */
final class Access {

    private final boolean graph;

    private Access(boolean graph) {
        this.graph = graph;
    }

    /** Ownership and, when the database has the tables, the permission graph. */
    static Access of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT to_regclass('links') IS NOT NULL AND to_regclass('groups') IS NOT NULL")) {
            r.next();
            return new Access(r.getBoolean(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look for the links and groups tables: " + e.getMessage(), e);
        }
    }

    /** The caller's level on the job that decides access to {@code job} (its parent when it is task-like). */
    private int level(JobStore store, Caller caller, String jobUuid, String ownerUuid) throws SQLException {
        if (caller.admin() || caller.userUuid().equals(ownerUuid)) {
            return Permissions.MANAGE;
        }
        return graph ? store.permissionLevel(caller.userUuid(), jobUuid, ownerUuid) : 0;
    }

    private int level(JobStore store, Caller caller, JobRecord job) throws SQLException {
        return job.isTaskLike() ? level(store, caller, job.parentJobUuid(), job.parentOwnerUuid())
                : level(store, caller, job.uuid(), job.ownerUuid());
    }

    boolean canRead(JobStore store, Caller caller, JobRecord job) throws SQLException {
        return level(store, caller, job) >= Permissions.READ;
    }

    /**
     * A job or task the caller may not read is answered exactly as one that does not exist (the API server looked
     * objects up among the readable ones only), so a 404 never tells anyone which uuids exist.
     *
     * @param requested the uuid as the request named it, which the not-found message repeats
     */
    void requireReadable(JobStore store, Caller caller, JobRecord job, String what, String requested)
            throws GatewayException, SQLException {
        if (!canRead(store, caller, job)) {
            throw notFound(what, requested);
        }
    }

    /** Readable (else 404) and writable: can_write on the job that decides (else 403). One lookup. */
    void requireWritable(JobStore store, Caller caller, JobRecord job, String what, String requested)
            throws GatewayException, SQLException {
        requireWrite(requireReadableLevel(store, caller, job, what, requested), job, what, requested);
    }

    /** Readable (else 404); the level, for a later {@link #requireWrite} without a second lookup. */
    int requireReadableLevel(JobStore store, Caller caller, JobRecord job, String what, String requested)
            throws GatewayException, SQLException {
        int level = level(store, caller, job);
        if (level < Permissions.READ) {
            throw notFound(what, requested);
        }
        return level;
    }

    /** A level of {@link #requireReadableLevel} that must also allow writing (else 403). */
    static void requireWrite(int level, JobRecord job, String what, String requested) throws GatewayException {
        if (level < Permissions.WRITE) {
            throw GatewayException.forbidden("you may read " + what + " " + requested + " but not change it: that"
                    + " needs can_write on job " + (job.isTaskLike() ? job.parentJobUuid() : job.uuid()));
        }
    }

    /** A new or changed parent: the caller needs can_write on it (admins may use any). */
    void requireParentWritable(JobStore store, Caller caller, JobStore.ParentRow parent)
            throws GatewayException, SQLException {
        if (level(store, caller, parent.job().uuid(), parent.ownerUuid()) < Permissions.WRITE) {
            throw GatewayException.forbidden("adding tasks to job " + parent.job().uuid() + " needs can_write on it");
        }
    }

    /** The one not-found answer, for a missing object and for one the caller may not read. */
    static GatewayException notFound(String what, String requested) {
        return GatewayException.notFound(what + " " + requested + " not found");
    }

    /** The condition a list adds so that it silently shows only task-like jobs the caller may read. */
    SqlWhere taskLikeReadable(Caller caller, SqlWhere where) {
        SqlWhere taskLike = where.and("j.parent_job_uuid IS NOT NULL");
        if (caller.admin()) {
            return taskLike;
        }
        if (!graph) {
            return taskLike.and("par.owner_uuid = ?", caller.userUuid());
        }
        return taskLike.and("(par.owner_uuid IN (" + Permissions.READABLE + ") OR par.uuid IN ("
                + Permissions.READABLE + "))", caller.userUuid(), caller.userUuid());
    }

    /** The condition a jobs list adds: top-level jobs the caller may read, task-like jobs under such parents. */
    SqlWhere jobsReadable(Caller caller, SqlWhere where) {
        if (caller.admin()) {
            return where;
        }
        if (!graph) {
            return where.and("((j.parent_job_uuid IS NULL AND j.owner_uuid = ?) OR (j.parent_job_uuid IS NOT NULL"
                    + " AND par.owner_uuid = ?))", caller.userUuid(), caller.userUuid());
        }
        String readable = "(" + Permissions.READABLE + ")";
        return where.and("((j.parent_job_uuid IS NULL AND (j.owner_uuid IN " + readable + " OR j.uuid IN " + readable
                + ")) OR (j.parent_job_uuid IS NOT NULL AND (par.owner_uuid IN " + readable + " OR par.uuid IN "
                + readable + ")))", caller.userUuid(), caller.userUuid(), caller.userUuid(), caller.userUuid());
    }

    /**
     * The calling task named by the X-Arvados-Task-Uuid header, or null when there is none.
     *
     * @throws GatewayException 422 for a malformed uuid, 404 when it names no task-like job the caller may read
     */
    JobRecord callingTask(JobStore store, Caller caller) throws GatewayException, SQLException {
        String uuid = caller.callingTask();
        if (uuid == null) {
            return null;
        }
        if (!UuidMapping.isWellFormed(uuid)) {
            throw GatewayException.unprocessable("X-Arvados-Task-Uuid is not an Arvados uuid: " + PlainJson.quote(uuid));
        }
        JobRecord task = store.find(uuid);
        if (task == null || !task.isTaskLike() || !canRead(store, caller, task)) {
            throw GatewayException.notFound("calling task " + uuid + " (X-Arvados-Task-Uuid) not found");
        }
        return task;
    }
}
