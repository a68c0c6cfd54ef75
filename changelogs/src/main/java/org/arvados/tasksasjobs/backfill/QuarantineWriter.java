package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Writes quarantine rows; a task already quarantined keeps its first row. */
final class QuarantineWriter {

    /** A task that cannot be carried, and why. */
    record Entry(long taskId, String taskUuid, String reason, String detail) { }

    private static final String INSERT = """
            INSERT INTO job_tasks_quarantine (task_id, task_uuid, reason, detail)
            SELECT * FROM unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::text[])
            ON CONFLICT (task_id) DO NOTHING
            """;

    private final Connection connection;

    QuarantineWriter(Connection connection) {
        this.connection = connection;
    }

    int insert(List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return 0;
        }
        Object[] ids = new Object[entries.size()];
        Object[] uuids = new Object[entries.size()];
        Object[] reasons = new Object[entries.size()];
        Object[] details = new Object[entries.size()];
        for (int k = 0; k < ids.length; k++) {
            Entry e = entries.get(k);
            ids[k] = e.taskId();
            uuids[k] = e.taskUuid();
            reasons[k] = e.reason();
            details[k] = e.detail();
        }
        try (PreparedStatement st = connection.prepareStatement(INSERT)) {
            st.setArray(1, connection.createArrayOf("int8", ids));
            st.setArray(2, connection.createArrayOf("text", uuids));
            st.setArray(3, connection.createArrayOf("text", reasons));
            st.setArray(4, connection.createArrayOf("text", details));
            return st.executeUpdate();
        }
    }
}
