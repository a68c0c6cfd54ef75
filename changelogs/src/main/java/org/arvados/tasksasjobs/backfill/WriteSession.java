package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session settings a backfill connection writes with, measured on PostgreSQL 15 with its default settings
 * (docs/benchmarks.md, "Where the time goes"):
 * <ul>
 *   <li>{@code synchronous_commit = off}: a batch no longer waits for its WAL flush. Safe here: a batch commits with
 *       its checkpoint, so a commit lost in a server crash loses both, and the next run redoes that batch. The run's
 *       last commit is made with the caller's setting again ({@link #restore}), which flushes every commit before it.</li>
 *   <li>{@code gin_pending_list_limit = 64MB} and {@code work_mem = 256MB}: the trigram index takes new rows into its
 *       pending list and merges them into the index in far fewer, larger cleanups (a cleanup uses work_mem).</li>
 * </ul>
 * Every setting is one a user may change for a session; none needs a privilege.
 */
final class WriteSession {

    static final Map<String, String> SETTINGS = settings();

    private final Connection connection;
    private final Map<String, String> previous;

    private WriteSession(Connection connection, Map<String, String> previous) {
        this.connection = connection;
        this.previous = previous;
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("synchronous_commit", "off");
        s.put("gin_pending_list_limit", "64MB");
        s.put("work_mem", "256MB");
        return java.util.Collections.unmodifiableMap(s);
    }

    /** Applies the settings to {@code connection}'s session, remembering what they were. */
    static WriteSession apply(Connection connection) throws SQLException {
        Map<String, String> previous = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : SETTINGS.entrySet()) {
            previous.put(s.getKey(), set(connection, s.getKey(), s.getValue()));
        }
        return new WriteSession(connection, previous);
    }

    /** Gives the session back its settings; the next commit is then as durable as the caller asked. */
    void restore() throws SQLException {
        for (Map.Entry<String, String> s : previous.entrySet()) {
            set(connection, s.getKey(), s.getValue());
        }
    }

    /** Sets {@code name} for the session; returns its value before. */
    private static String set(Connection connection, String name, String value) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT current_setting(?), set_config(?, ?, false)")) {
            st.setString(1, name);
            st.setString(2, name);
            st.setString(3, value);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
