package org.arvados.tasksasjobs.gateway.tasks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;

/** Reads {@link JobRecord}s from queries that start with {@link #SELECT}. */
final class JobRecordReader {

    /**
     * Every column of the job ({@code j}) and its parent's owner, which decides who may read a task-like job. The
     * parent is joined by its unique uuid; callers append WHERE, ORDER BY and LIMIT on alias {@code j}.
     */
    static final String SELECT = "SELECT j.id, " + JobColumns.selectList("j") + ", par.owner_uuid AS parent_owner_uuid"
            + " FROM jobs j LEFT JOIN jobs par ON par.uuid = j.parent_job_uuid";

    private JobRecordReader() {}

    static JobRecord read(ResultSet rs) throws SQLException {
        Object[] values = new Object[JobColumns.ALL.size()];
        for (int i = 0; i < values.length; i++) {
            int position = i + 2; // after id
            values[i] = switch (JobColumns.ALL.get(i).type()) {
                case UUID, TEXT, SERIALIZED -> rs.getString(position);
                case TIME -> rs.getObject(position, LocalDateTime.class);
                case BOOLEAN -> rs.getObject(position, Boolean.class);
                // The driver converts int4 to Long only through getLong; one Java type for integer and bigint columns.
                case INTEGER -> nullable(rs.getLong(position), rs);
                case FLOAT -> nullable(rs.getDouble(position), rs);
                case SUCCESS -> throw new IllegalStateException("no column of jobs holds a task's success");
            };
        }
        return new JobRecord(rs.getLong(1), values, rs.getString(JobColumns.ALL.size() + 2));
    }

    private static Object nullable(Object value, ResultSet rs) throws SQLException {
        return rs.wasNull() ? null : value;
    }
}
