package org.arvados.tasksasjobs.reuse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Which of the two worlds a database is in: before the migration (no task-like jobs) or after expand. */
public final class JobsTable {

    // 'jobs'::regclass resolves the name through search_path exactly as the unqualified "jobs" of every other query
    // here does, so the answer is about the table those queries read.
    private static final String HAS_PARENT_COLUMN = """
            SELECT EXISTS (SELECT 1 FROM pg_attribute
                           WHERE attrelid = 'jobs'::regclass AND attname = 'parent_job_uuid' AND NOT attisdropped)
            """;

    private JobsTable() {
    }

    /** Whether jobs has parent_job_uuid: then top-level jobs are its NULL rows and task-like jobs the others. */
    public static boolean hasParentColumn(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(HAS_PARENT_COLUMN); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
