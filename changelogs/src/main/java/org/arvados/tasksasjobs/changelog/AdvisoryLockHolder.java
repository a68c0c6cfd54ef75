package org.arvados.tasksasjobs.changelog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Who holds a session-level advisory lock of this database (the migrators' lock, Liquibase's changelog lock), as one
 * phrase a DBA can act on: backend pid, application, user, client, connected since.
 */
public final class AdvisoryLockHolder {

    private static final String HOLDER = """
            SELECT a.pid, a.application_name, a.usename, host(a.client_addr) AS client, a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 2
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """;

    private AdvisoryLockHolder() {
    }

    /** The holder of the two-key lock ({@code pg_advisory_lock(classKey, objectKey)}), or empty when it is free. */
    public static Optional<String> of(Connection connection, int classKey, int objectKey) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(HOLDER)) {
            st.setLong(1, Integer.toUnsignedLong(classKey));
            st.setLong(2, Integer.toUnsignedLong(objectKey));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String app = rs.getString("application_name");
                String client = rs.getString("client");
                return Optional.of("held by backend pid " + rs.getInt("pid")
                        + (app == null || app.isEmpty() ? "" : ", application '" + app + "'")
                        + ", user " + rs.getString("usename")
                        + (client == null ? ", local socket" : ", from " + client)
                        + ", connected since " + rs.getTimestamp("backend_start").toInstant());
            }
        }
    }
}
