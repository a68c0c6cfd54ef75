package org.arvados.tasksasjobs.gateway.tasks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.mapping.ParentJob;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.shim.JobOrder;

/**
 * The gateway's reads and writes of jobs on one connection (the caller's transaction): thin SQL, every value
 * bound. Decides nothing; the services do.
 */
final class JobStore {

    /** A parent job as the mapping reads it, and what the gateway needs besides: its owner, whether it is a task. */
    record ParentRow(ParentJob job, String ownerUuid, boolean taskLike) {}

    private static final String TASK_INFIX = "-ot0gb-";

    private static final String PARENT = """
            SELECT uuid, state, running, success, cancelled_at, script, script_version, supplied_script_version,
                repository, docker_image_locator, arvados_sdk_version, runtime_constraints, nondeterministic, log,
                script_parameters, owner_uuid, parent_job_uuid
            FROM jobs WHERE uuid = ?
            """;

    private static final List<JobColumn> WRITTEN = JobColumn.written();

    private static final String PLACEHOLDERS = String.join(", ", Collections.nCopies(WRITTEN.size(), "?"));

    private static final String INSERT = "INSERT INTO jobs (" + JobColumn.names(WRITTEN, "") + ") VALUES ("
            + PLACEHOLDERS + ") RETURNING id";

    private static final String UPDATE = "UPDATE jobs SET (" + JobColumn.names(WRITTEN, "") + ") = ("
            + PLACEHOLDERS + ") WHERE id = ?";

    private final Connection connection;

    JobStore(Connection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /** The connection, for code that runs its own queries in the same transaction (the reuse engine). */
    Connection connection() {
        return connection;
    }

    /**
     * The job a uuid names: an {@code ot0gb} task uuid through legacy_task_uuid, anything else through uuid, each
     * falling back to the other column, so either form of a task-like job's uuid finds it. Null when none does.
     */
    JobRecord find(String uuid) throws SQLException {
        boolean taskUuid = uuid.contains(TASK_INFIX);
        JobRecord found = findBy(taskUuid ? "legacy_task_uuid" : "uuid", uuid);
        return found != null ? found : findBy(taskUuid ? "uuid" : "legacy_task_uuid", uuid);
    }

    JobRecord byId(long id) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(JobRecordReader.SELECT + " WHERE j.id = ?")) {
            st.setLong(1, id);
            return single(st);
        }
    }

    private JobRecord findBy(String column, String uuid) throws SQLException {
        // column is one of two literals above, never request text.
        try (PreparedStatement st = connection.prepareStatement(JobRecordReader.SELECT + " WHERE j." + column + " = ?")) {
            st.setString(1, uuid);
            return single(st);
        }
    }

    private static JobRecord single(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? JobRecordReader.read(rs) : null;
        }
    }

    /** One page: at most {@code limit} rows are fetched. */
    List<JobRecord> page(SqlWhere where, List<JobOrder> order, int limit, long offset) throws SQLException {
        List<JobRecord> rows = new ArrayList<>();
        if (limit == 0) {
            return rows;
        }
        String sql = JobRecordReader.SELECT + where.sql() + SqlWhere.orderBy(order) + " LIMIT ? OFFSET ?";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            int next = where.bind(st, 1);
            st.setInt(next++, limit);
            st.setLong(next, offset);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(JobRecordReader.read(rs));
                }
            }
        }
        return rows;
    }

    long count(SqlWhere where) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT count(*) FROM jobs j LEFT JOIN jobs par ON par.uuid = j.parent_job_uuid" + where.sql())) {
            where.bind(st, 1);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The level {@code user} reaches {@code jobUuid} or {@code ownerUuid} at in the permission graph; 0 for none. */
    int permissionLevel(String user, String jobUuid, String ownerUuid) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(Permissions.LEVEL)) {
            st.setString(1, user);
            st.setArray(2, connection.createArrayOf("varchar", new Object[] {jobUuid, ownerUuid}));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The job named {@code uuid} as a parent, or null when jobs has no such row. */
    ParentRow parent(String uuid) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(PARENT)) {
            st.setString(1, uuid);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ParentJob job = new ParentJob(rs.getString("uuid"), rs.getString("state"), rs.getObject("running", Boolean.class),
                        rs.getObject("success", Boolean.class), rs.getObject("cancelled_at", java.time.LocalDateTime.class),
                        rs.getString("script"), rs.getString("script_version"), rs.getString("supplied_script_version"),
                        rs.getString("repository"), rs.getString("docker_image_locator"), rs.getString("arvados_sdk_version"),
                        rs.getString("runtime_constraints"), rs.getObject("nondeterministic", Boolean.class), rs.getString("log"),
                        rs.getString("script_parameters"));
                return new ParentRow(job, rs.getString("owner_uuid"), rs.getString("parent_job_uuid") != null);
            }
        }
    }

    /** The uuid of the task-like job made from task {@code taskUuid}, or null. */
    String jobUuidOfTask(String taskUuid) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT uuid FROM jobs WHERE legacy_task_uuid = ?")) {
            st.setString(1, taskUuid);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    boolean jobUuidTaken(String uuid) throws SQLException {
        return exists("SELECT EXISTS (SELECT 1 FROM jobs WHERE uuid = ?)", uuid);
    }

    boolean taskUuidTaken(String uuid) throws SQLException {
        return exists("SELECT EXISTS (SELECT 1 FROM jobs WHERE legacy_task_uuid = ?)", uuid);
    }

    private boolean exists(String sql, String value) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, value);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The next qsequence, from the sequence the API server drew job_tasks.qsequence from. */
    long nextQsequence() throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT nextval('job_tasks_qsequence_seq')");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long insert(TaskLikeJob job) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(INSERT)) {
            bind(st, job);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void update(long id, TaskLikeJob job) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(UPDATE)) {
            int next = bind(st, job);
            st.setLong(next, id);
            st.executeUpdate();
        }
    }

    void delete(long id) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
            st.setLong(1, id);
            st.executeUpdate();
        }
    }

    /** Deletes the task-like jobs task {@code taskUuid} created (its direct children only); returns how many. */
    int deleteCreatedBy(String taskUuid) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "DELETE FROM jobs WHERE legacy_created_by_task_uuid = ? AND parent_job_uuid IS NOT NULL")) {
            st.setString(1, taskUuid);
            return st.executeUpdate();
        }
    }

    /** Marks a task-like job impure: it read its parent's record, so it is never reused. */
    void markNondeterministic(String jobUuid) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "UPDATE jobs SET nondeterministic = TRUE WHERE uuid = ? AND nondeterministic IS NOT TRUE")) {
            st.setString(1, jobUuid);
            st.executeUpdate();
        }
    }

    /** Binds every written column of {@code job} from 1 on; returns the next parameter index. */
    private static int bind(PreparedStatement st, TaskLikeJob job) throws SQLException {
        int i = 1;
        for (JobColumn column : WRITTEN) {
            Object value = column.valueOf(job);
            if (value == null) {
                st.setNull(i++, column.type().jdbcType());
            } else {
                st.setObject(i++, value); // the driver's type for the Java value: LocalDateTime, Boolean, ...
            }
        }
        return i;
    }
}
